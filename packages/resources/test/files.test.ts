import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory, Export, File, ResourceUsageError, Upload } from '../src/index.js';
import { resourceClasses } from '../src/resource-classes.js';
import { startTestEnv, type TestEnv } from './helpers.js';
import { testFileSystem } from './node-fs.js';

let env: TestEnv;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resources-files-'));
  env = await startTestEnv({ fs: testFileSystem(dir) });
});
afterAll(async () => {
  await env?.stop();
  await rm(dir, { recursive: true, force: true });
});

const DOCS = 'demo.iris_species:v1_0.documents';

describe('Directory and File', () => {
  it('toDirectory() builds the tree; list() and get() navigate it', async () => {
    const root = await env.redivis.table(DOCS).toDirectory();
    expect(root).toBeInstanceOf(Directory);
    expect(root.list().map((e) => e.name)).toEqual(['README.txt', 'data']);
    expect(root.list({ mode: 'files', recursive: true }).map((e) => (e as File).path)).toEqual([
      'README.txt',
      'data/notes/method.md',
      'data/setosa.csv',
    ]);
    expect(root.list({ mode: 'directories', recursive: true }).map((d) => d.path)).toEqual([
      'data',
      'data/notes',
    ]);
    expect(root.list({ recursive: true, maxResults: 2 })).toHaveLength(2);
    const notes = root.get('data/notes/') as Directory;
    expect(notes).toBeInstanceOf(Directory);
    expect((notes.get('../setosa.csv') as File).path).toBe('data/setosa.csv');
    expect(notes.get('/README.txt')).toBeInstanceOf(File);
    expect(root.get('README.txt/')).toBeUndefined();
    expect(root.get('nope')).toBeUndefined();
    // `..` above the root throws (as Python raises) instead of silently staying at the root.
    expect(() => root.get('..')).toThrow(ResourceUsageError);
    expect(() => root.get('../../README.txt')).toThrow(/"\.\.\/\.\.\/README\.txt" climbs above the root/);
    expect(() => notes.get('../../../README.txt')).toThrow(ResourceUsageError);
    expect((notes.get('../../README.txt') as File).path).toBe('README.txt');
  });

  it('file(), listFiles() and the File metadata', async () => {
    const table = env.redivis.table(DOCS);
    const file = await table.file('data/setosa.csv');
    expect(file?.name).toBe('setosa.csv');
    expect(file?.size).toBe(41);
    expect(file?.hash).toHaveLength(16);
    expect(file?.addedAt).toBeInstanceOf(Date);
    expect(file?.get()).toBe(file);
    expect(file?.uri).toBe(`/rawFiles/${file?.id}`);
    // A missing path, or a folder's, is a NotFoundError naming it (Python raises; undefined hid typos).
    const missing = await table.file('missing.txt').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe('file_not_found');
    expect((missing as Error).message).toContain('No file "missing.txt" in the file index of /tables/');
    await expect(table.file('data')).rejects.toThrow(/"data" is a folder .* not a file/);
    expect((await table.listFiles()).map((f) => f.name)).toEqual(['README.txt', 'method.md', 'setosa.csv']);
    expect(await table.listFiles({ maxResults: 1 })).toHaveLength(1);
  });

  it('a second toDirectory() revalidates with If-Modified-Since and reuses the tree on 304', async () => {
    const table = env.redivis.table(DOCS);
    const first = await table.toDirectory();
    await new Promise((r) => setTimeout(r, 1100));
    expect(await table.toDirectory()).toBe(first);
  });

  it('read() returns bytes, text and byte ranges; open() streams', async () => {
    const file = (await env.redivis.table(DOCS).file('README.txt')) as File;
    expect(await file.read({ asText: true })).toBe('Iris measurements, documented.\n');
    expect(new TextDecoder().decode(await file.read({ startByte: 5, endByte: 16 }))).toBe('measurements');
    expect(await file.read({ asText: true, startByte: 19 })).toBe('documented.\n');
    const stream = await file.open();
    expect(await new Response(stream).text()).toBe('Iris measurements, documented.\n');
    expect(await new Response(await file.stream({ startByte: 0, endByte: 3 })).text()).toBe('Iris');
  });

  it('download() writes a file, skips an identical one, refuses a different one unless overwrite', async () => {
    const file = (await env.redivis.table(DOCS).file('data/setosa.csv')) as File;
    const target = await file.download({ path: 'single/' });
    expect(target).toBe(join(dir, 'single', 'setosa.csv'));
    expect(await readFile(target, 'utf8')).toContain('5.1,3.5');
    expect(await file.download({ path: 'single/' })).toBe(target);
    await writeFile(target, 'changed');
    await expect(file.download({ path: 'single/' })).rejects.toBeInstanceOf(ResourceUsageError);
    await file.download({ path: 'single/', overwrite: true });
    expect(await readFile(target, 'utf8')).toContain('5.1,3.5');
  });

  it('directory.download() and table.downloadFiles() keep the folder structure', async () => {
    const root = await env.redivis.table(DOCS).toDirectory();
    const paths = await (root.get('data') as Directory).download({ path: 'tree' });
    expect(paths.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
      'tree/notes/method.md',
      'tree/setosa.csv',
    ]);
    await env.redivis.table(DOCS).downloadFiles({ path: 'all' });
    expect((await readdir(join(dir, 'all'))).sort()).toEqual(['README.txt', 'data']);
  });

  it('query results: toDirectory(), file(), listFiles() and downloadFiles() over a file-index result', async () => {
    const query = env.redivis.query(`SELECT * FROM ${DOCS} WHERE file_name LIKE 'data/%'`);
    const root = await query.toDirectory();
    expect(await query.toDirectory()).toBe(root); // immutable: fetched once
    expect((await query.listFiles()).map((f) => f.name)).toEqual(['method.md', 'setosa.csv']);
    expect((await query.file('data/setosa.csv'))?.size).toBe(41);
    await expect(query.file('README.txt')).rejects.toBeInstanceOf(NotFoundError);
    const paths = await query.downloadFiles({ path: 'from-query' });
    expect(paths.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
      'from-query/data/notes/method.md',
      'from-query/data/setosa.csv',
    ]);
  });
});

describe('Export and table.download()', () => {
  it('download() exports, waits and writes <table>.csv', async () => {
    const paths = await env.redivis.table('demo.iris_species:v1_0.iris').download({ path: 'exports' });
    expect(paths).toEqual([join(dir, 'exports', 'iris.csv')]);
    const csv = await readFile(paths[0] as string, 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(151);
    await expect(
      env.redivis.table('demo.iris_species:v1_0.iris').download({ path: 'exports' }),
    ).rejects.toBeInstanceOf(ResourceUsageError);
    const again = await env.redivis.table('demo.iris_species:v1_0.iris').download({
      path: 'exports/named.parquet',
      format: 'parquet',
    });
    expect(again).toEqual([join(dir, 'exports', 'named.parquet')]);
  });

  it('Export.get(), waitForFinish() and openFilePart() work without a file system', async () => {
    const created = await env.redivis.request<{ id: string }>({
      method: 'POST',
      path: '/tables/demo.iris_species:v1_0.iris/exports',
      json: { format: 'ndjson' },
    });
    const progress: number[] = [];
    const exp = await new Export(
      { client: env.redivis.client, platform: {}, make: resourceClasses },
      created.id,
    ).waitForFinish({
      onProgress: (p) => progress.push(p),
    });
    expect(exp.properties?.status).toBe('completed');
    expect((await exp.get()).properties?.fileCount).toBe(1);
    const text = await new Response(await exp.openFilePart(0)).text();
    expect(text.trim().split('\n')).toHaveLength(150);
  });

  it('a table under export restrictions is refused', async () => {
    const bob = env.as('rdv_demo_alice_token', { fs: testFileSystem(dir) });
    await expect(bob.table('demo.restricted_survey.responses').download({ path: 'x' })).rejects.toMatchObject(
      {
        status: 403,
      },
    );
  });
});

describe('Upload (read side)', () => {
  it('listUploads(), get(), exists(), listVariables(), variable() and the readers', async () => {
    const table = env.redivis.table('demo.iris_species:v1_0.iris');
    const uploads = await table.listUploads();
    expect(uploads.map((u) => u.name)).toEqual(['iris.csv']);
    const upload = table.upload('iris.csv');
    expect(upload).toBeInstanceOf(Upload);
    expect(upload.uri).toBe('/tables/demo.iris_species%3Av1_0.iris/uploads/iris_csv');
    await upload.get();
    expect(upload.properties?.status).toBe('completed');
    expect(await upload.exists()).toBe(true);
    expect(await table.upload('other.csv').exists()).toBe(false);
    expect((await upload.listVariables()).map((v) => v.name)).toContain('species');
    expect(await upload.variable('species').exists()).toBe(true);
    expect((await upload.variable('species').get()).properties?.type).toBe('string');
    expect(upload.table).toBe(table);
    expect(await upload.listRows({ maxResults: 5 })).toHaveLength(5);
    expect((await upload.toArrowTable()).numRows).toBe(150);
  });

  it('delete() is refused on a released version', async () => {
    await expect(
      env.redivis.table('demo.iris_species:v1_0.iris').upload('iris.csv').delete(),
    ).rejects.toMatchObject({
      status: 400,
    });
  });
});
