// toArrowDataset against the emulator over real HTTP: rows read back from the files (Arrow, Parquet, CSV) equal the
// table's, files are partitioned by maxRowsPerFile, Parquet files by row group, and an error or abort leaves no
// dataset, no staging folder and no open file, whatever the format.
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { createRedivis, type Redivis, ResourceUsageError } from '@redivis-ts/resources';
import { type RecordBatch, Table, tableFromArrays, tableFromIPC } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArrowDatasetFormat, toArrowDataset, writeParquet } from '../src/index.js';

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

const FORMATS: ArrowDatasetFormat[] = ['arrow', 'parquet', 'csv'];

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

/** RFC 4180 read back independently of the writer: quoted fields with `""`, embedded commas and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && field === '') {
      for (i++; i < text.length; i++) {
        if (text[i] === '"' && text[i + 1] === '"') field += text[++i];
        else if (text[i] === '"') break;
        else field += text[i];
      }
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  expect(row.length + field.length, 'the text ends with a line end').toBe(0);
  return rows;
}

/** Each CSV file's header and the rows of all files, checking every file starts with the same header. */
async function readCsvFiles(files: string[]): Promise<{ header: string[]; rows: string[][] }> {
  const parsed = await Promise.all(files.map(async (f) => parseCsv(await readFile(f, 'utf8'))));
  const header = parsed[0]?.[0] ?? [];
  for (const p of parsed) expect(p[0]).toEqual(header);
  return { header, rows: parsed.flatMap((p) => p.slice(1)) };
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
      parquetRowGroupRows: 50,
      maxParallelization: 1,
    });
    expect(dataset.files).toHaveLength(4);
    // Streamed a row group at a time: row groups of at most 50 rows, cut across the read's batches.
    const groups = await Promise.all(
      dataset.files.map(async (f) => {
        const bytes = await readFile(f);
        const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
        return meta.row_groups.map((g) => Number(g.num_rows));
      }),
    );
    expect(groups).toEqual([
      [50, 50, 30],
      [50, 50, 30],
      [50, 50, 30],
      [50, 50, 10],
    ]);
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

  it.each([
    [OBSERVATIONS, 130, ['000000.csv', '000001.csv', '000002.csv', '000003.csv']],
    // Geography (WKT, which holds commas and is quoted), floats, booleans, dates.
    ['demo.weather_sample.stations', 1_000_000, ['000000.csv']],
  ])('writes CSV files of %s that read back to the rows as listRows prints them', async (ref, max, names) => {
    const table = redivis.table(ref);
    const path = join(dir, `csv-${ref}`);
    const dataset = await toArrowDataset(table, {
      path,
      format: 'csv',
      maxRowsPerFile: max,
      maxParallelization: 1,
    });
    expect(dataset.files.map((f) => f.slice(path.length + 1))).toEqual(names);
    const { header, rows } = await readCsvFiles(dataset.files);
    const variables = await table.listVariables();
    expect(header).toEqual(variables.map((v) => v.name));
    // The documented text of each type is that of listRows values (int64 exact), null an empty field.
    const expected = await table.listRows({ rowMode: 'arrays', int64: 'string', maxParallelization: 1 });
    expect(rows).toEqual(expected.map((row) => row.map((v) => (v === null ? '' : String(v)))));
    expect(dataset.numRows).toBe(expected.length);
    if (ref !== OBSERVATIONS) {
      const wkt = header.indexOf('location');
      expect(rows.every((r) => /^POINT ?\(/.test(r[wkt] ?? ''))).toBe(true);
    } else {
      expect(rows[0]?.[header.indexOf('observed_at')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
      expect(rows[0]?.[header.indexOf('obs_time')]).toMatch(/^\d\d:\d\d:\d\d\.\d{6}$/);
    }
  });

  it.each(
    FORMATS,
  )('leaves nothing behind when the source fails mid-%s-file, and closes the file', async (format) => {
    const before = await openFiles();
    const path = join(dir, `failed-${format}`);
    let openWhileWriting = 0;
    const source = failingSource(3, async () => {
      // Waits for a state, not for time: the second file's descriptor, opened asynchronously by the writer.
      for (openWhileWriting = await openFiles(); openWhileWriting === before; ) {
        await new Promise(setImmediate);
        openWhileWriting = await openFiles();
      }
    });
    await expect(
      toArrowDataset(source, { path, format, maxRowsPerFile: 25, parquetRowGroupRows: 10 }),
    ).rejects.toThrow('the network went away');
    // The second file was open when the source failed (the counter sees it), and is closed now.
    expect(openWhileWriting).toBe(before + 1);
    await expect(readdir(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).filter((n) => n.includes('failed'))).toEqual([]);
    expect(await openFiles()).toBe(before);
  });

  it.each(FORMATS)('stops on abort after a %s file and removes the staging folder', async (format) => {
    const before = await openFiles();
    const path = join(dir, `aborted-${format}`);
    const controller = new AbortController();
    const read = toArrowDataset(redivis.table(OBSERVATIONS), {
      path,
      format,
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
    for (const bad of [
      { maxRowsPerFile: 0 },
      { parquetRowGroupRows: 1.5 },
      { format: 'tsv' as ArrowDatasetFormat },
    ]) {
      await expect(toArrowDataset(source, { path: join(dir, 'x'), ...bad })).rejects.toBeInstanceOf(
        ResourceUsageError,
      );
    }
    expect((await readdir(dir)).filter((n) => n === 'x' || n.startsWith('.x.'))).toEqual([]);
    await expect(
      writeParquet(source.toArrowBatchIterator(), () => {}, { rowGroupRows: 0 }),
    ).rejects.toBeInstanceOf(ResourceUsageError);
  });

  it('writes one schema-only file for batches without rows, under REDIVIS_TMPDIR by default', async () => {
    const previous = process.env.REDIVIS_TMPDIR;
    process.env.REDIVIS_TMPDIR = join(dir, 'tmp');
    try {
      const names = ['n', 'say "x", then'];
      const empty = {
        async *toArrowBatchIterator(): AsyncIterable<RecordBatch> {
          const batch = tableFromArrays({
            [names[0] as string]: Int32Array.from([1]),
            [names[1] as string]: ['a'],
          }).batches[0] as RecordBatch;
          yield batch.slice(0, 0);
          yield batch.slice(1, 1);
        },
      };
      const [arrow, parquet, csv] = await Promise.all(
        FORMATS.map((format) => toArrowDataset(empty, { format })),
      );
      for (const dataset of [arrow, parquet, csv]) {
        expect(dataset?.path.startsWith(join(dir, 'tmp', 'redivis_'))).toBe(true);
        expect([dataset?.numRows, dataset?.files.length]).toEqual([0, 1]);
      }
      const ipc = tableFromIPC(await readFile(arrow?.files[0] as string));
      expect([ipc.numRows, ipc.schema.fields.map((f) => f.name)]).toEqual([0, names]);
      const bytes = await readFile(parquet?.files[0] as string);
      const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      expect([meta.num_rows, meta.schema.slice(1).map((e) => e.name)]).toEqual([0n, names]);
      expect(parseCsv(await readFile(csv?.files[0] as string, 'utf8'))).toEqual([names]);
      // A read that yields no batch at all has no schema to write: an empty dataset.
      const none = await toArrowDataset(redivis.table(OBSERVATIONS), { format: 'csv', maxResults: 0 });
      expect([none.files, none.numRows, none.schema, await readdir(none.path)]).toEqual([[], 0, null, []]);
    } finally {
      if (previous === undefined) delete process.env.REDIVIS_TMPDIR;
      else process.env.REDIVIS_TMPDIR = previous;
    }
  });

  it('writes CSV that quotes what needs it and reads back to the same text', async () => {
    const strings = [
      'plain',
      'a,b',
      'say "hi"',
      'two\nlines',
      'cr\r',
      '',
      'é😀',
      'POLYGON((0 0, 1 0, 0 1, 0 0))',
    ];
    const big = [2n ** 63n - 1n, -(2n ** 63n), 9_007_199_254_740_993n, 0n, 1n, -1n, 42n, 7n];
    const source = {
      async *toArrowBatchIterator(): AsyncIterable<RecordBatch> {
        yield* tableFromArrays({ s: strings, big: BigInt64Array.from(big) }).batches;
      },
    };
    const dataset = await toArrowDataset(source, { path: join(dir, 'quoting'), format: 'csv' });
    const { header, rows } = await readCsvFiles(dataset.files);
    expect(header).toEqual(['s', 'big']);
    expect(rows).toEqual(strings.map((s, i) => [s, String(big[i])]));
  });
});
