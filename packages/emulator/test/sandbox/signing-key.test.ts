import { randomBytes } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { signAccessToken, verifyAccessToken } from '../../src/oauth/jwt.js';
import { loadOrCreateKeyFile, SIGNING_KEY_FILE } from '../../src/oauth/key-file.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'none' });
});
afterAll(() => emu.stop());

describe('OAuth signing key', () => {
  it('lives in a 0600 key file, not in any database table', async () => {
    const signed = await signAccessToken(emu.ctx, {
      userId: 'u1',
      userName: 'someone',
      scopes: ['data.data'],
      expiresInSec: 60,
    });
    expect((await verifyAccessToken(emu.ctx, signed.token))?.userId).toBe('u1');
    const path = join(emu.ctx.dataDir, SIGNING_KEY_FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const key = (await readFile(path, 'utf8')).trim();
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    const rows = await emu.ctx.db.all<{ key: string; value: string }>('SELECT key, value FROM meta_kv');
    expect(rows.filter((r) => r.key.includes('jwt') || r.value.includes(key))).toEqual([]);
  });

  it('moves a key an older emulator kept in meta_kv into the key file and deletes it there', async () => {
    const path = join(emu.ctx.dataDir, SIGNING_KEY_FILE);
    await rm(path, { force: true });
    const legacy = randomBytes(32);
    await emu.ctx.db.run('INSERT INTO meta_kv VALUES (?, ?)', [
      'oauth.jwt_hs256_key',
      legacy.toString('base64url'),
    ]);
    const key = await loadOrCreateKeyFile({ db: emu.ctx.db, dataDir: emu.ctx.dataDir });
    expect(Buffer.from(key).equals(legacy)).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await emu.ctx.db.all("SELECT * FROM meta_kv WHERE key = 'oauth.jwt_hs256_key'")).toEqual([]);
    // A second load reads the same key from the file.
    expect(
      Buffer.from(await loadOrCreateKeyFile({ db: emu.ctx.db, dataDir: emu.ctx.dataDir })).equals(legacy),
    ).toBe(true);
  });
});
