import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/bin.js';
import { capture } from './helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-emulator-bin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('redivis-emulator (in-process)', () => {
  it('prints exactly one listening line then the tokens, and serves curl-style requests', async () => {
    const { io, out } = capture();
    const result = await runCli(
      ['--port', '0', '--seed', 'demo', '--seed-rows', '50', '--token', 'T', '--data-dir', dir],
      io,
    );
    if (!('emulator' in result)) throw new Error('expected a running emulator');
    try {
      expect(out[0]).toMatch(/^Redivis emulator listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
      expect(out.filter((l) => l.startsWith('Redivis emulator listening on'))).toHaveLength(1);
      expect(out.slice(1)).toContain('API token for demo_admin (fixed admin token): T');
      expect(out.slice(1).every((l) => /^API token for \w+ \(.+\): \S+$/.test(l))).toBe(true);
      const url = (out[0] as string).replace('Redivis emulator listening on ', '');
      const res = await fetch(`${url}/organizations/demo/datasets`, {
        headers: { Authorization: 'Bearer T' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { results: Array<{ name: string }> };
      expect(body.results.map((d) => d.name)).toContain('Iris species');
    } finally {
      await result.emulator.stop();
    }
  });

  it('manages tokens in a stopped data dir: create, list, update, revoke', async () => {
    const c1 = capture();
    expect(
      await runCli(
        [
          'tokens',
          'create',
          '--data-dir',
          dir,
          '--user',
          'alice',
          '--name',
          'cli',
          '--scopes',
          'data.data,data.metadata',
        ],
        c1.io,
      ),
    ).toEqual({ exitCode: 0 });
    const value = c1.out[0] as string;
    expect(value).toMatch(/^rdv_/);
    const c2 = capture();
    await runCli(['tokens', 'list', '--data-dir', dir, '--user', 'alice'], c2.io);
    const line = c2.out.find((l) => l.includes('\tcli\t')) as string;
    expect(line).toContain('public data.metadata data.data');
    expect(c2.out.join('\n')).not.toContain(value);
    const id = line.split('\t')[0] as string;
    const c3 = capture();
    await runCli(
      ['tokens', 'update', id, '--data-dir', dir, '--name', 'cli2', '--scopes', 'data.overview'],
      c3.io,
    );
    expect(c3.out[0]).toContain('\tcli2\tpublic data.overview\tactive');
    const c4 = capture();
    await runCli(['tokens', 'revoke', id, '--data-dir', dir], c4.io);
    expect(c4.out[0]).toMatch(/\trevoked$/);
    const c5 = capture();
    expect(
      await runCli(
        ['tokens', 'create', '--data-dir', dir, '--user', 'alice', '--name', 'x', '--scopes', 'root'],
        c5.io,
      ),
    ).toEqual({ exitCode: 1 });
    expect(c5.err[0]).toMatch(/Unknown scope/);
    expect(await runCli(['tokens', 'revoke', '--data-dir', dir], capture().io)).toEqual({ exitCode: 2 });
  });

  it('rejects bad options with exit code 2', async () => {
    const c = capture();
    expect(await runCli(['--seed', 'lots'], c.io)).toEqual({ exitCode: 2 });
    expect(await runCli(['--port', 'eighty'], capture().io)).toEqual({ exitCode: 2 });
    expect(await runCli(['--unknown'], capture().io)).toEqual({ exitCode: 2 });
  });
});

const distBin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
describe.runIf(existsSync(distBin))('redivis-emulator (built bin)', () => {
  it('starts from dist, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [distBin, '--seed', 'demo', '--seed-rows', '20', '--token', 'spawned-token'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    expect(first).toMatch(/^Redivis emulator listening on /);
    const url = first.replace('Redivis emulator listening on ', '');
    const res = await fetch(`${url}/organizations/demo/datasets`, {
      headers: { Authorization: 'Bearer spawned-token' },
    });
    expect(res.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
