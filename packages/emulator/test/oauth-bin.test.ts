// `redivis-emulator apps create|list`: registering OAuth applications in a stopped data dir, then using them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/bin.js';
import { capture } from './helpers/cli.js';
import { startEmulator } from '../src/index.js';
import { postToken } from './oauth-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-emulator-apps-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('redivis-emulator apps', () => {
  it('creates confidential and public apps, lists them, and the running emulator honours them', async () => {
    const created = capture();
    const args = [
      'apps',
      'create',
      '--data-dir',
      dir,
      '--name',
      'Lab app',
      '--redirect-uri',
      'https://lab.example/cb',
    ];
    expect(await runCli(args, created.io)).toEqual({ exitCode: 0 });
    const [clientId, secret] = created.out;
    expect(created.out).toHaveLength(2);
    expect(created.err.join('\n')).toMatch(/confidential, offline access.*shown once/);

    const pub = capture();
    expect(await runCli(['apps', 'create', '--data-dir', dir, '--name', 'CLI', '--public'], pub.io)).toEqual({
      exitCode: 0,
    });
    expect(pub.out).toHaveLength(1);

    const listed = capture();
    expect(await runCli(['apps', 'list', '--data-dir', dir], listed.io)).toEqual({ exitCode: 0 });
    expect(listed.out).toContain(`${clientId}\tLab app\tconfidential\toffline\thttps://lab.example/cb`);
    expect(listed.out).toContain('7YGtYWuQot1TEe0pHB3EPSj5\tRedivis Python client\tpublic\toffline\t');
    expect(listed.out.join('\n')).not.toContain(secret as string);

    const emu = await startEmulator({ dataDir: dir, seed: 'none' });
    try {
      const refresh = {
        grant_type: 'refresh_token',
        refresh_token: 'not-a-real-token',
        client_id: clientId as string,
      };
      const wrong = await postToken(emu.origin, { ...refresh, client_secret: 'nope' });
      expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
      const right = await postToken(emu.origin, { ...refresh, client_secret: secret as string });
      expect(right).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    } finally {
      await emu.stop();
    }
  });

  it('rejects bad usage and bad redirect URIs', async () => {
    expect(await runCli(['apps', 'create', '--data-dir', dir], capture().io)).toEqual({ exitCode: 2 });
    expect(await runCli(['apps', 'delete', '--data-dir', dir], capture().io)).toEqual({ exitCode: 2 });
    const bad = capture();
    const args = [
      'apps',
      'create',
      '--data-dir',
      dir,
      '--name',
      'x',
      '--redirect-uri',
      'ftp://files.example/',
    ];
    expect(await runCli(args, bad.io)).toEqual({ exitCode: 1 });
    expect(bad.err.join('\n')).toMatch(/must be http\(s\)/);
  });
});

describe('redivis-emulator --oauth-rotate-refresh-tokens', () => {
  it('turns rotation on (it is off without the flag)', async () => {
    for (const [args, rotate] of [
      [['--oauth-rotate-refresh-tokens'], true],
      [[], false],
    ] as const) {
      const result = await runCli(['--seed', 'none', ...args], capture().io);
      if (!('emulator' in result)) throw new Error('expected a running emulator');
      try {
        expect(result.emulator.ctx.options.oauth.rotateRefreshTokens).toBe(rotate);
      } finally {
        await result.emulator.stop();
      }
    }
  });
});
