// toArrowDataset against the emulator over real HTTP: rows read back from the files equal the table's, files are
// partitioned by maxRowsPerFile, and an error or abort leaves no dataset, no staging folder and no open file.
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { createRedivis, type Redivis, ResourceUsageError } from '@redivis-ts/resources';
import { type RecordBatch, Table, tableFromArrays, tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toArrowDataset } from '../src/index.js';

const OBSERVATIONS = 'demo.weather_sample.daily_observations';
let emu: RunningEmulator;
let redivis: Redivis;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 500, rateLimit: false });
  redivis = createRedivis(createTransport({ baseUrl: emu.url, apiToken: 'rdv_demo_admin_token' }));
  dir = await mkdtemp(join(tmpdir(), 'redivis-arrow-dataset-'));
});
afterAll(async () => {
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Files under the test folder this process holds open (Linux /proc), to show that nothing is left open. */
async function openFiles(): Promise<number> {
  let n = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(dir)) n++;
  }
  return n;
}

const plain = (t: Table) => t.toArray().map((row) => row.toJSON());

/** A value as both readers can agree on it: Dates (hyparquet) as epoch ms (apache-arrow's), bigints as digits. */
function normalise(v: unknown): unknown {
  if (v === null) return null;
  if (v instanceof Date) return v.getTime();
  return typeof v === 'bigint' ? String(v) : v;
}

/** A source of `count` batches of 10 rows that throws after them (or aborts through the caller's signal). */
function failingSource(count: number, beforeFailing: () => Promise<void>) {
  return {
    async *toArrowBatchIterator(): AsyncIterable<RecordBatch> {
      for (let i = 0; i < count; i++) {
        yield* tableFromArrays({ n: Int32Array.from({ length: 10 }, (_, j) => i * 10 + j) }).batches;
      }
      await beforeFailing();
      throw new Error('the network went away');
    },
  };
}

/** The rows of a dataset's Parquet files, in file order, read back with an independent reader (hyparquet). */
async function readParquetFiles(files: string[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const f of files) {
    const bytes = await readFile(f);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    rows.push(...(await parquetReadObjects({ file })));
  }
  return rows;
}

describe('toArrowDataset', () => {
  it('writes Arrow IPC files of at most maxRowsPerFile rows that read back to the exact table', async () => {
    const table = redivis.table(OBSERVATIONS);
    const path = join(dir, 'observations');
    const written: number[] = [];
    const dataset = await toArrowDataset(table, {
      path,
      maxRowsPerFile: 120,
      maxParallelization: 1,
      onFileWritten: (f) => written.push(f.numRows),
    });
    expect(dataset).toMatchObject({ path, format: 'arrow', numRows: 500 });
    expect(dataset.files.map((f) => f.slice(path.length + 1))).toEqual([
      '000000.arrow',
      '000001.arrow',
      '000002.arrow',
      '000003.arrow',
      '000004.arrow',
    ]);
    expect(written).toEqual([120, 120, 120, 120, 20]);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    const parts = await Promise.all(dataset.files.map(async (f) => tableFromIPC(await readFile(f))));
    expect(parts.map((p) => p.numRows)).toEqual(written);
    const back = new Table(parts.flatMap((p) => p.batches));
    const expected = await table.toArrowTable({ maxParallelization: 1 });
    expect(back.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      expected.schema.fields.map((f) => `${f.name}:${f.type}`),
    );
    expect(plain(back)).toEqual(plain(expected));
    expect(dataset.schema?.fields.map((f) => f.name)).toEqual(expected.schema.fields.map((f) => f.name));
  });

  it('writes Parquet with the read options (variables, maxResults) applied', async () => {
    const table = redivis.table('demo.iris_species.iris');
    const path = join(dir, 'iris');
    const dataset = await toArrowDataset(table, {
      path,
      format: 'parquet',
      maxRowsPerFile: 40,
      maxResults: 100,
      variables: ['species', 'sepal_length'],
      maxParallelization: 1,
    });
    expect(dataset.files.map((f) => f.slice(path.length + 1))).toEqual([
      '000000.parquet',
      '000001.parquet',
      '000002.parquet',
    ]);
    const rows = await readParquetFiles(dataset.files);
    const expected = await table.listRows({
      maxResults: 100,
      variables: ['species', 'sepal_length'],
      maxParallelization: 1,
    });
    expect(rows).toEqual(expected.map((r) => ({ ...r })));
    expect(dataset.numRows).toBe(100);
  });

  it('writes Parquet files that cut batches at file boundaries with temporal columns exact', async () => {
    const table = redivis.table(OBSERVATIONS);
    const path = join(dir, 'observations-parquet');
    const dataset = await toArrowDataset(table, {
      path,
      format: 'parquet',
      maxRowsPerFile: 130,
      maxParallelization: 1,
    });
    expect(dataset.files).toHaveLength(4);
    const back = await readParquetFiles(dataset.files);
    const expected = await table.toArrowTable({ maxParallelization: 1 });
    expect(back).toHaveLength(500);
    // Every column, value for value, through its own reader: Parquet dates/timestamps come back as Dates,
    // times as microseconds, integers as bigints.
    for (const field of expected.schema.fields) {
      const column = expected.getChild(field.name);
      const want = Array.from({ length: 500 }, (_, i) => column?.get(i) ?? null);
      const got = back.map((r) => r[field.name] ?? null);
      // hyparquet's Dates hold milliseconds; apache-arrow's µs timestamps are fractional milliseconds.
      const ms = String(field.type).startsWith('Timestamp');
      const wanted = want.map((v) => (ms && typeof v === 'number' ? Math.floor(v) : v));
      expect(got.map(normalise), field.name).toEqual(wanted.map(normalise));
    }
  });

  it('leaves nothing behind when the source fails mid-file, and closes the file', async () => {
    const before = await openFiles();
    const path = join(dir, 'failed');
    let openWhileWriting = 0;
    const source = failingSource(3, async () => {
      openWhileWriting = await openFiles();
    });
    await expect(toArrowDataset(source, { path, maxRowsPerFile: 25 })).rejects.toThrow(
      'the network went away',
    );
    // The second file was open when the source failed (the counter sees it), and is closed now.
    expect(openWhileWriting).toBe(before + 1);
    await expect(readdir(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).filter((n) => n.includes('failed'))).toEqual([]);
    expect(await openFiles()).toBe(before);
  });

  it('stops on abort after a file and removes the staging folder', async () => {
    const before = await openFiles();
    const path = join(dir, 'aborted');
    const controller = new AbortController();
    const read = toArrowDataset(redivis.table(OBSERVATIONS), {
      path,
      maxRowsPerFile: 100,
      signal: controller.signal,
      onFileWritten: () => controller.abort(new Error('enough')),
    });
    await expect(read).rejects.toThrow('enough');
    expect((await readdir(dir)).filter((n) => n.includes('aborted'))).toEqual([]);
    expect(await openFiles()).toBe(before);
  });

  it('keeps an existing folder unless overwrite, and then swaps it whole', async () => {
    const path = join(dir, 'existing');
    await mkdir(path);
    await writeFile(join(path, 'keep.txt'), 'mine');
    const source = {
      toArrowBatchIterator: async function* () {
        yield* tableFromArrays({ n: Int32Array.from([1, 2, 3]) }).batches;
      },
    };
    await expect(toArrowDataset(source, { path })).rejects.toBeInstanceOf(ResourceUsageError);
    expect(await readFile(join(path, 'keep.txt'), 'utf8')).toBe('mine');
    const dataset = await toArrowDataset(source, { path, overwrite: true });
    expect(await readdir(path)).toEqual(['000000.arrow']);
    expect(dataset.numRows).toBe(3);
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    await expect(toArrowDataset(source, { path: join(dir, 'x'), maxRowsPerFile: 0 })).rejects.toBeInstanceOf(
      ResourceUsageError,
    );
  });

  it('writes one schema-only file for an empty result, under REDIVIS_TMPDIR by default', async () => {
    const previous = process.env.REDIVIS_TMPDIR;
    process.env.REDIVIS_TMPDIR = join(dir, 'tmp');
    try {
      const dataset = await toArrowDataset(redivis.table(OBSERVATIONS), { maxResults: 0 });
      expect(dataset.path.startsWith(join(dir, 'tmp', 'redivis_'))).toBe(true);
      expect(dataset.numRows).toBe(0);
      for (const f of dataset.files) expect(tableFromIPC(await readFile(f)).numRows).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.REDIVIS_TMPDIR;
      else process.env.REDIVIS_TMPDIR = previous;
    }
  });
});
