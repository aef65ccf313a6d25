import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { type Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvEncoder } from '@redivis-ts/arrow';
import { type ReadOptions, ResourceUsageError } from '@redivis-ts/resources';
import { type RecordBatch, RecordBatchFileWriter, type Schema } from 'apache-arrow';
import { type BatchSource, partitionBatches } from './batch-partitions.js';
import { PARQUET_ROW_GROUP_ROWS, writeParquet } from './parquet-writer.js';

/**
 * File formats {@link toArrowDataset} writes: Arrow IPC files (Feather v2, as Python writes), Parquet, or CSV with a
 * header line (the text of `csvEncoder` from `@redivis-ts/arrow`, as `redivis read --format csv` writes it).
 */
export type ArrowDatasetFormat = 'arrow' | 'parquet' | 'csv';

const FORMATS: readonly ArrowDatasetFormat[] = ['arrow', 'parquet', 'csv'];

/** Options of {@link toArrowDataset}: the readers' options plus where and how the files are written. */
export interface ArrowDatasetOptions extends Omit<ReadOptions, 'int64'> {
  /**
   * The dataset's folder; it must not exist unless `overwrite`. Default: a new folder under
   * `$REDIVIS_TMPDIR/redivis_<user>/tables/` (Python's temp root), else under the OS temp folder.
   */
  path?: string;
  /**
   * `'arrow'` (Arrow IPC file format, `.arrow`), `'parquet'` (`.parquet`) or `'csv'` (`.csv`: RFC 4180, a header
   * line in each file, null as an empty field, values as `listRows` prints them). @defaultValue 'arrow'
   */
  format?: ArrowDatasetFormat;
  /**
   * Rows per file. It does not bound memory: Arrow and CSV files hold about one batch, Parquet files one row group
   * (`parquetRowGroupRows`) at a time. @defaultValue 1,000,000
   */
  maxRowsPerFile?: number;
  /**
   * Rows per Parquet row group: what a Parquet file's writer holds before handing the group to the file.
   * @defaultValue {@link PARQUET_ROW_GROUP_ROWS} (131,072)
   */
  parquetRowGroupRows?: number;
  /** Replace an existing folder at `path` (only once the new dataset is complete). @defaultValue false */
  overwrite?: boolean;
  /** Called after each file is complete. */
  onFileWritten?: (file: { path: string; numRows: number; index: number }) => void;
}

/** A dataset written by {@link toArrowDataset}: its folder, files (in row order) and schema. */
export interface ArrowDataset {
  /** Absolute path of the folder. */
  path: string;
  /** The files' format. */
  format: ArrowDatasetFormat;
  /** Absolute paths of the files, `000000.arrow`, `000001.arrow`… (`.parquet`, `.csv`), in row order. */
  files: string[];
  /** Rows in all files. */
  numRows: number;
  /** The Arrow schema of the rows; `null` when the source produced no batch at all. */
  schema: Schema | null;
}

/** A table, query, upload or read stream of `@redivis-ts/resources`, or anything else that streams batches. */
export type ArrowDatasetSource = {
  /** The rows as record batches, streamed (`TabularReader.toArrowBatchIterator`). */
  toArrowBatchIterator(options?: ReadOptions): AsyncIterable<RecordBatch>;
};

function defaultPath(env: NodeJS.ProcessEnv): string {
  const root = env.REDIVIS_TMPDIR
    ? join(env.REDIVIS_TMPDIR, `redivis_${env.USER ?? userInfo().username}`)
    : join(tmpdir(), 'redivis-ts');
  return join(root, 'tables', randomUUID());
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * apache-arrow's writer duplex, destroyed without passing the error on to the writer: `abort(error)` rejects the
 * read the duplex started on its own, a rejection nobody handles (apache-arrow 21), which ends a Node process.
 * Closing the writer instead ends that read; the error still reaches the pipeline, and the file is removed anyway.
 */
function arrowFileDuplex(): Duplex {
  const duplex = RecordBatchFileWriter.throughNode();
  const destroy = duplex._destroy.bind(duplex);
  duplex._destroy = (error, callback) => destroy(null, (e) => callback(error ?? e));
  return duplex;
}

async function writeArrowFile(path: string, batches: AsyncIterable<RecordBatch>): Promise<void> {
  // A pipeline: the next batch is read from the network only when the file has taken the previous one, and any
  // failure destroys every stream, closing the file.
  await pipeline(
    Readable.from(batches, { highWaterMark: 1 }),
    arrowFileDuplex(),
    createWriteStream(path, { flags: 'wx' }),
  );
  await syncFile(path);
}

async function writeParquetFile(
  path: string,
  batches: AsyncIterable<RecordBatch>,
  rowGroupRows: number,
): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    // Each row group goes to the file as soon as it is encoded.
    await writeParquet(
      batches,
      async (bytes) => {
        for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at)).bytesWritten;
      },
      { rowGroupRows },
    );
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeCsvFile(path: string, batches: AsyncIterable<RecordBatch>): Promise<void> {
  const encoder = csvEncoder();
  async function* text(): AsyncGenerator<string | Uint8Array> {
    let started = false;
    for await (const batch of batches) {
      if (!started) yield encoder.start(batch.schema.fields.map((f) => f.name));
      started = true;
      if (batch.numRows > 0) yield encoder.batch(batch);
    }
  }
  // As for Arrow files: one batch's text at a time, and a failure closes the file.
  await pipeline(Readable.from(text(), { highWaterMark: 1 }), createWriteStream(path, { flags: 'wx' }));
  await syncFile(path);
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Python's `to_arrow_dataset`: the rows of a table, query, upload or read stream written to disk in bounded memory,
 * partitioned into files of at most `maxRowsPerFile` rows, as Arrow IPC files (Python writes Feather, the same
 * format), Parquet (streamed a row group at a time) or CSV. The files are written into a hidden staging folder next to `path` that is renamed to `path`
 * only once every file is complete and flushed: a reader never sees a partial file under a final name, and an
 * error or abort (`signal`) removes the staging folder with its open files closed.
 *
 * @param source - A `Table`, `Query`, `Upload` or `ReadStream` (anything with `toArrowBatchIterator`).
 * @param options - The read options (`maxResults`, `variables`, `batchPreprocessor`, `signal`…) and the output's.
 * @returns The dataset's folder, files, row count and schema.
 * @throws ResourceUsageError when `path` exists without `overwrite`, `format` is unknown, or `maxRowsPerFile` or
 *   `parquetRowGroupRows` is not a positive integer.
 *
 * @example
 * ```ts
 * const dataset = await toArrowDataset(redivis.table('demo.iris_species.iris'), { format: 'parquet' });
 * console.log(dataset.files, dataset.numRows);
 * ```
 */
export async function toArrowDataset(
  source: ArrowDatasetSource,
  options: ArrowDatasetOptions = {},
): Promise<ArrowDataset> {
  const {
    path: requested,
    format = 'arrow',
    maxRowsPerFile = 1_000_000,
    parquetRowGroupRows = PARQUET_ROW_GROUP_ROWS,
    overwrite = false,
    onFileWritten,
    ...read
  } = options;
  if (!FORMATS.includes(format)) {
    throw new ResourceUsageError(`format must be 'arrow', 'parquet' or 'csv', not ${JSON.stringify(format)}`);
  }
  for (const [name, value] of [
    ['maxRowsPerFile', maxRowsPerFile],
    ['parquetRowGroupRows', parquetRowGroupRows],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new ResourceUsageError(`${name} must be a positive integer`);
    }
  }
  const path = resolve(requested ?? defaultPath(process.env));
  if (!overwrite && (await exists(path))) {
    throw new ResourceUsageError(`${path} exists; pass overwrite: true to replace it`);
  }
  await mkdir(dirname(path), { recursive: true });
  const staging = join(dirname(path), `.${basename(path)}.${randomUUID()}.part`);
  await mkdir(staging);
  const names: string[] = [];
  let numRows = 0;
  let schema: Schema | null = null;
  try {
    const batches: BatchSource = source.toArrowBatchIterator(read);
    for await (const part of partitionBatches(batches, maxRowsPerFile)) {
      read.signal?.throwIfAborted();
      const name = `${String(names.length).padStart(6, '0')}.${format}`;
      const file = join(staging, name);
      if (format === 'arrow') await writeArrowFile(file, part.batches);
      else if (format === 'csv') await writeCsvFile(file, part.batches);
      else await writeParquetFile(file, part.batches, parquetRowGroupRows);
      schema ??= part.schema();
      names.push(name);
      numRows += part.numRows();
      onFileWritten?.({ path: join(path, name), numRows: part.numRows(), index: names.length - 1 });
    }
    read.signal?.throwIfAborted();
    if (overwrite && (await exists(path))) {
      const old = join(dirname(path), `.${basename(path)}.${randomUUID()}.old`);
      await rename(path, old);
      await rename(staging, path);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(staging, path);
    }
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { path, format, files: names.map((n) => join(path, n)), numRows, schema };
}
