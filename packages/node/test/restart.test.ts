import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcsServer } from '../../upload/test/gcs-server.js';

let server: GcsServer;
let dir: string;
let script: string;
beforeAll(async () => {
  server = await new GcsServer().start();
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
  await server?.stop();
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
    const bytes = randomBytes(2 * 1024 * 1024 + 12345);
    const path = join(dir, 'data.bin');
    await writeFile(path, bytes);
    const storeDir = join(dir, 'store');
    server.chunkDelayMs = 150;
    const first = run([server.url, path, storeDir]);
    while (server.chunks.filter((c) => c.received > 0).length < 3)
      await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    expect((await first.done).code).toBeNull();
    const sessions = await readdir(storeDir);
    expect(sessions).toHaveLength(1);
    expect((await stat(join(storeDir, sessions[0] as string))).mode & 0o777).toBe(0o600);
    const committedAtKill = Math.max(...[...server.files.values()].map((f) => f.committed));
    expect(committedAtKill).toBeGreaterThan(0);
    expect(committedAtKill).toBeLessThan(bytes.length);

    server.chunkDelayMs = 0;
    const before = server.chunks.length;
    const second = run([server.url, path, storeDir]);
    const { code, out } = await second.done;
    expect(code, out).toBe(0);
    const resumed = server.chunks.slice(before).filter((c) => c.received > 0);
    expect(resumed[0]?.start).toBe(committedAtKill);
    // Every chunk, in both runs, started at the committed offset: no committed byte was sent again.
    for (const c of server.chunks) expect(c.start).toBe(c.committedBefore);
    const file = server.files.get(out.trim());
    expect(
      createHash('md5')
        .update(file?.data ?? new Uint8Array())
        .digest('hex'),
    ).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(await readdir(storeDir)).toEqual([]);
  });
});
