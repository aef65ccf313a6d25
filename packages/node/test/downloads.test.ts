import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createTransport } from '@redivis-ts/core';
import { type FaultRule, type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import {
  createRedivis,
  Directory,
  DownloadIntegrityError,
  type DownloadProgress,
  File,
  type Redivis,
} from '@redivis-ts/resources';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WireProxy } from '../../upload/test/wire-proxy.js';
import { nodePlatform } from '../src/index.js';
import { CuttingProxy } from './cutting-proxy.js';

const DOCS = 'demo.iris_species:v1_0.documents';
let emu: RunningEmulator;
// Cuts are the emulator's own (`dropAfterBytes`, attached by the wire proxy to chosen requests).
let wire: WireProxy;
let redivis: Redivis;
// What the emulator cannot be asked to do, because it follows the protocol: a wrong digest header, or a server
// that ignores Range. A tampering proxy in front of it plays that server.
let tamper: CuttingProxy;
let tampered: Redivis;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 200, rateLimit: false, faults: { enabled: true } });
  wire = await new WireProxy(emu.origin).start();
  tamper = await new CuttingProxy(emu.url).start();
  dir = await mkdtemp(join(tmpdir(), 'redivis-downloads-'));
  const model = (baseUrl: string) =>
    createRedivis(
      createTransport({ baseUrl, apiToken: 'rdv_demo_admin_token', retry: { limit: 0 } }),
      nodePlatform({ tokenStore: undefined }),
    );
  redivis = model(wire.url);
  tampered = model(tamper.url);
});
afterAll(async () => {
  await wire?.stop();
  await tamper?.stop();
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  wire.requests.length = 0;
  wire.plan = undefined;
  tamper.faults.length = 0;
  tamper.ranges.length = 0;
});

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('base64');
const isDownload = (path: string | undefined) =>
  /\/rawFiles\/[^/?]+(\?|$)|\/exports\/[^/]+\/download/.test(path ?? '');

/** The emulator cuts the next downloads (one rule per request, in order) after the given number of bytes. */
function cutDownloads(...bytes: number[]): void {
  const queue = bytes.map((b): FaultRule => ({ dropAfterBytes: b }));
  wire.plan = (req) => (req.method === 'GET' && isDownload(req.url) ? queue.shift() : undefined);
}
const downloadRanges = () => wire.requests.filter((r) => isDownload(r.path)).map((r) => r.requestRange);

async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

describe('file.download()', () => {
  it('resumes with Range after cuts and ends with the exact bytes', async () => {
    const file = (await redivis.table(DOCS).file('data/setosa.csv')) as File;
    const expected = await file.read();
    wire.requests.length = 0;
    cutDownloads(10, 7);
    const progress: DownloadProgress[] = [];
    const target = await file.download({ path: join(dir, 'resume/'), onProgress: (p) => progress.push(p) });
    expect(new Uint8Array(await readFile(target))).toEqual(expected);
    expect(downloadRanges()).toEqual([undefined, 'bytes=10-', 'bytes=17-']);
    expect(md5(expected)).toBe(file.properties.md5Hash);
    expect(progress.at(-1)).toMatchObject({ bytesDownloaded: expected.length, filesCompleted: 1 });
    expect(await readdir(join(dir, 'resume'))).toEqual(['setosa.csv']);
  });

  it('starts over when the server answers a ranged request with the whole file', async () => {
    const file = (await tampered.table(DOCS).file('README.txt')) as File;
    tamper.faults.push({ cutAfter: 5 }, { ignoreRange: true });
    const target = await file.download({ path: join(dir, 'restart', 'readme.txt') });
    expect(await readFile(target, 'utf8')).toBe('Iris measurements, documented.\n');
  });

  it('detects a wrong digest, writes nothing and leaves no partial file', async () => {
    const file = (await tampered.table(DOCS).file('README.txt')) as File;
    tamper.faults.push({ digest: md5(new TextEncoder().encode('something else')) });
    const folder = join(dir, 'bad-digest');
    const error = await file.download({ path: `${folder}/` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadIntegrityError);
    expect((error as DownloadIntegrityError).actualMd5).toBe(file.properties.md5Hash);
    expect(await listTree(folder)).toEqual([]);
  });

  it('gives up after repeated cuts without leaving anything under the final name', async () => {
    const file = (await redivis.table(DOCS).file('README.txt')) as File;
    // One cut per attempt: the first try and all ten retries fail, each after one more byte.
    cutDownloads(...Array.from({ length: 11 }, () => 1));
    const folder = join(dir, 'gives-up');
    await expect(
      file.download({ path: `${folder}/`, retry: { initialDelayMs: 5, backoffLimitMs: 20 } }),
    ).rejects.toThrow();
    expect(downloadRanges()).toHaveLength(11);
    expect(downloadRanges()[10]).toBe('bytes=10-');
    expect(await listTree(folder)).toEqual([]);
  });
});

describe('directory.download()', () => {
  it('neutralises names that would climb out of the target folder', async () => {
    const real = (await redivis.table(DOCS).file('README.txt')) as File;
    // Directory.fromFiles is internal: its context needs only the File class from the factory (ctx.make).
    const ctx = { client: redivis.client, platform: redivis.platform, make: { File } } as never;
    const names = [
      '../../escaped.txt',
      '/abs/olute.txt',
      'a\\..\\..\\win.txt',
      'ok/nested.txt',
      'c:tricky?.txt',
    ];
    const tree = Directory.fromFiles(
      ctx,
      names.map((name) => ({ id: real.id, name, ...(real.size ? { size: real.size } : {}) })),
    );
    const folder = join(dir, 'traversal');
    const paths = await tree.download({ path: folder });
    for (const p of paths) expect(relative(folder, p).startsWith('..')).toBe(false);
    expect(await listTree(folder)).toEqual(
      ['__/__/escaped.txt', 'a/__/__/win.txt', 'abs/olute.txt', 'c_tricky_.txt', 'ok/nested.txt'].sort(),
    );
    expect(await readdir(dir)).not.toContain('escaped.txt');
  });

  it('downloads with bounded concurrency, resumes cut files and reports progress', async () => {
    const root = await redivis.table(DOCS).toDirectory();
    cutDownloads(3);
    const progress: DownloadProgress[] = [];
    const folder = join(dir, 'tree');
    await root.download({ path: folder, maxConcurrency: 2, onProgress: (p) => progress.push({ ...p }) });
    expect(await listTree(folder)).toEqual(['README.txt', 'data/notes/method.md', 'data/setosa.csv']);
    const last = progress.at(-1) as DownloadProgress;
    expect(last.filesCompleted).toBe(3);
    expect(last.totalFiles).toBe(3);
    const sizes = root.list({ mode: 'files', recursive: true }).map((f) => (f as File).size ?? 0);
    expect(last.bytesDownloaded).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(downloadRanges().filter((r) => r === 'bytes=3-')).toHaveLength(1);
  });
});

describe('table.download() (export parts)', () => {
  it('resumes a cut export part and verifies it against the raw GET of the same part', async () => {
    cutDownloads(100);
    const folder = join(dir, 'export');
    const [path] = await redivis
      .table('demo.iris_species:v1_0.iris')
      .download({ path: folder, format: 'csv' });
    const bytes = await readFile(path as string);
    expect(bytes.toString('utf8').split('\n')[0]).toMatch(/sepal_length/);
    expect(downloadRanges()).toEqual([undefined, 'bytes=100-']);
    expect(bytes.length).toBeGreaterThan(100);
  });
});
