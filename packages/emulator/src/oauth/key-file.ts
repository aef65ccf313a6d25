import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorContext } from '../context.js';

/** File in the data directory holding the OAuth HS256 signing key (base64url), readable by its owner only. */
export const SIGNING_KEY_FILE = 'oauth-signing.key';
/** Where data dirs written before the key file existed kept the key: moved out on first load. */
const LEGACY_META_KEY = 'oauth.jwt_hs256_key';

/**
 * Reads the signing key file, or creates it (32 random bytes): from the key an older emulator stored in the
 * `meta_kv` table when there is one (then deleted there, so the database holds no secret), else a new key.
 */
export async function loadOrCreateKeyFile(ctx: Pick<EmulatorContext, 'db' | 'dataDir'>): Promise<Uint8Array> {
  const path = join(ctx.dataDir, SIGNING_KEY_FILE);
  try {
    const text = (await readFile(path, 'utf8')).trim();
    await chmod(path, 0o600);
    return Buffer.from(text, 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const legacy = await ctx.db.one<{ value: string }>('SELECT value FROM meta_kv WHERE key = ?', [
    LEGACY_META_KEY,
  ]);
  const key = legacy ? Buffer.from(legacy.value, 'base64url') : randomBytes(32);
  // Written aside then renamed, so a crash never leaves a half-written key that would invalidate issued tokens.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, key.toString('base64url'), { mode: 0o600 });
  await rename(temporary, path);
  if (legacy) await ctx.db.run('DELETE FROM meta_kv WHERE key = ?', [LEGACY_META_KEY]);
  return key;
}
