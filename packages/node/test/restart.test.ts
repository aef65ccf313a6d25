import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { freshTable, storedTempUpload } from '../../upload/test/emulator-table.js';
import { chunkOffsets, chunkPuts, WireProxy } from '../../upload/test/wire-proxy.js';

let emu: RunningEmulator;
let proxy: WireProxy;
let dir: string;
let script: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10, rateLimit: false, faults: { enabled: true } });
  proxy = await new WireProxy(emu.origin).start();
  dir = await mkdtemp(join(tmpdir(), 'redivis-restart-'));
  script = join(dir, 'child.mjs');
  await build({
    entryPoints: [new URL('./resume-child.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    conditions: ['@redivis-ts/source'],
    packages: 'bundle',
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
});
afterAll(async () => {
  await proxy?.stop();
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  return { child, done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, out }))) };
}

describe('resumable upload across a process restart', () => {
  it('a killed uploader, started again, resumes from the on-disk store and never re-sends a committed byte', async () => {
    const client = createTransport({ baseUrl: proxy.url, apiToken: 'rdv_demo_admin_token' });
    const tableUri = await freshTable(client);
    const bytes = randomBytes(2 * 1024 * 1024 + 12345);
    const path = join(dir, 'data.bin');
    await writeFile(path, bytes);
    const storeDir = join(dir, 'store');
    // The emulator holds each chunk of the first run for 150 ms, long enough to kill the uploader mid-file.
    proxy.plan = (req) => (req.method === 'PUT' ? { latencyMs: 150 } : undefined);
    const first = run([proxy.url, tableUri, path, storeDir]);
    while (chunkPuts(proxy.requests).filter((r) => r.status === 308).length < 3)
      await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    expect((await first.done).code).toBeNull();
    const sessions = await readdir(storeDir);
    expect(sessions).toHaveLength(1);
    expect((await stat(join(storeDir, sessions[0] as string))).mode & 0o777).toBe(0o600);

    proxy.plan = undefined;
    const before = proxy.requests.length;
    const second = run([proxy.url, tableUri, path, storeDir]);
    const { code, out } = await second.done;
    expect(code, out).toBe(0);
    const resumed = proxy.requests.slice(before);
    // The second run asked the server what it had, started no new session, and sent only the rest.
    expect(resumed.some((r) => r.method === 'POST')).toBe(false);
    const query = resumed.find((r) => r.contentRange === `bytes */${bytes.length}`);
    const committedAtKill = Number(/^bytes=0-(\d+)$/.exec(query?.range ?? '')?.[1]) + 1;
    expect(committedAtKill).toBeGreaterThanOrEqual(3 * 256 * 1024);
    expect(committedAtKill).toBeLessThan(bytes.length);
    expect(chunkPuts(resumed)[0]?.contentRange).toMatch(new RegExp(`^bytes ${committedAtKill}-`));
    expect(chunkPuts(resumed).reduce((a, r) => a + r.bytesSent, 0)).toBe(bytes.length - committedAtKill);
    // Every chunk, in both runs, started at the committed offset: no committed byte was sent again.
    for (const c of chunkOffsets(proxy.requests, bytes.length)) expect(c.start).toBe(c.committedBefore);
    const stored = await storedTempUpload(emu, out.trim());
    expect(createHash('md5').update(stored).digest('hex')).toBe(
      createHash('md5').update(bytes).digest('hex'),
    );
    expect(await readdir(storeDir)).toEqual([]);
  });
});
