import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AddFilesProgress, createRedivis, type File, type Redivis } from '../src/index.js';
import { testFileSystem } from './node-fs.js';

let emu: RunningEmulator;
let redivis: Redivis;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resources-add-files-'));
  emu = await startEmulator({ seed: 'demo', seedRows: 10, rateLimit: false });
  // Default retries (fast): a keep-alive socket the server closes as a request starts is retried, as in real use.
  const client = createTransport({
    baseUrl: emu.url,
    apiToken: 'rdv_demo_admin_token',
    retry: { initialDelayMs: 5, backoffLimitMs: 20 },
  });
  redivis = createRedivis(client, { fs: testFileSystem(dir) });
});
afterAll(async () => {
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');

let n = 0;
async function fileIndex() {
  const dataset = redivis.user('demo_admin').dataset(`files_${Date.now()}_${n++}`);
  await dataset.create();
  const table = dataset.table('documents');
  await table.create({ isFileIndex: true });
  return { dataset, table };
}

describe('table.addFiles() against the emulator', () => {
  it('paths, renamed paths and in-memory data go in with their exact bytes, bounded concurrency and progress', async () => {
    const { table } = await fileIndex();
    const big = randomBytes(300_000);
    await writeFile(join(dir, 'big.bin'), big);
    await writeFile(join(dir, 'small.txt'), 'small\n');
    const progress: AddFilesProgress[] = [];
    const added = await table.addFiles({
      files: [
        'big.bin',
        { path: 'small.txt', name: 'nested/renamed.txt' },
        { data: 'in memory', name: 'mem.txt' },
      ],
      maxConcurrency: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(added.map((f) => f.name)).toEqual(['big.bin', 'nested/renamed.txt', 'mem.txt']);
    expect(added.every((f) => typeof f.id === 'string')).toBe(true);
    const last = progress.at(-1) as AddFilesProgress;
    expect(last).toEqual({
      filesUploaded: 3,
      totalFiles: 3,
      bytesUploaded: 300_000 + 6 + 9,
      totalBytes: 300_015,
    });
    const files = (await table.listFiles()) as File[];
    const byName = Object.fromEntries(files.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['big.bin', 'mem.txt', 'renamed.txt']);
    expect(byName['big.bin']?.properties.md5Hash).toBe(md5(big));
    expect(new Uint8Array(await (byName['big.bin'] as File).read())).toEqual(new Uint8Array(big));
    expect(await (byName['mem.txt'] as File).read({ asText: true })).toBe('in memory');
    const tree = await table.toDirectory();
    expect(tree.get('nested/renamed.txt')).toBeDefined();
  });

  it('a directory goes in recursively, named by relative paths, and downloads back identical', async () => {
    const { table } = await fileIndex();
    const root = join(dir, 'tree');
    await mkdir(join(root, 'a', 'b'), { recursive: true });
    await writeFile(join(root, 'top.csv'), 'x\n1\n');
    await writeFile(join(root, 'a', 'one.txt'), 'one');
    await writeFile(join(root, 'a', 'b', 'two.bin'), randomBytes(5_000));
    const added = await table.addFiles({ directory: 'tree' });
    expect(added.map((f) => f.name).sort()).toEqual(['a/b/two.bin', 'a/one.txt', 'top.csv']);
    const out = join(dir, 'back');
    await (await table.toDirectory()).download({ path: out });
    for (const rel of ['top.csv', 'a/one.txt', 'a/b/two.bin'])
      expect(md5(await readFile(join(out, rel))), rel).toBe(md5(await readFile(join(root, rel))));
  });

  it('bad input is refused and adds nothing: a climbing name, no files, a released version', async () => {
    const { dataset, table } = await fileIndex();
    await table.addFiles({ files: [{ data: 'kept', name: 'kept.txt' }] });
    const climbing = await table
      .addFiles({
        files: [
          { data: 'ok', name: 'fine.txt' },
          { data: 'x', name: '../escape.txt' },
        ],
      })
      .catch((e: unknown) => e);
    expect((climbing as { status?: number }).status).toBe(400);
    await expect(table.addFiles({ files: [] })).rejects.toThrow(/needs files or a directory/);
    expect((await table.listFiles()).map((f) => f.name)).toEqual(['kept.txt']);
    await dataset.release();
    const released = redivis.table(`demo_admin.${dataset.name}.documents`);
    const late = await released
      .addFiles({ files: [{ data: 'late', name: 'late.txt' }] })
      .catch((e: unknown) => e);
    expect((late as { status?: number }).status).toBe(400);
    expect((await released.listFiles()).map((f) => f.name)).toEqual(['kept.txt']);
  });
});
