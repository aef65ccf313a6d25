import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { type Duplex, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ReadOptions, ResourceUsageError } from '@redivis-ts/resources';
import { toParquet } from '@redivis-ts/upload';
import { type RecordBatch, RecordBatchFileWriter, type Schema } from 'apache-arrow';
import { type BatchSource, partitionBatches } from './batch-partitions.js';

/** File formats {@link toArrowDataset} writes: Arrow IPC files (Feather v2, as Python writes) or Parquet. */
export type ArrowDatasetFormat = 'arrow' | 'parquet';

/** Options of {@link toArrowDataset}: the readers' options plus where and how the files are written. */
export interface ArrowDatasetOptions extends Omit<ReadOptions, 'int64'> {
  /**
   * The dataset's folder; it must not exist unless `overwrite`. Default: a new folder under
   * `$REDIVIS_TMPDIR/redivis_<user>/tables/` (Python's temp root), else under the OS temp folder.
   */
  path?: string;
  /** `'arrow'` (Arrow IPC file format, `.arrow`) or `'parquet'`. @defaultValue 'arrow' */
  format?: ArrowDatasetFormat;
  /**
   * Rows per file. Memory stays at about one batch for Arrow files; a Parquet file is encoded whole, so its rows
   * are held until it is written. @defaultValue 1,000,000 for Arrow, 100,000 for Parquet
   */
  maxRowsPerFile?: number;
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
  /** Absolute paths of the files, `000000.arrow`, `000001.arrow`…, in row order. */
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

async function writeParquetFile(path: string, batches: AsyncIterable<RecordBatch>): Promise<void> {
  const held: RecordBatch[] = [];
  for await (const batch of batches) held.push(batch);
  const bytes = toParquet(held);
  held.length = 0;
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
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
 * format) or Parquet. The files are written into a hidden staging folder next to `path` that is renamed to `path`
 * only once every file is complete and flushed: a reader never sees a partial file under a final name, and an
 * error or abort (`signal`) removes the staging folder with its open files closed.
 *
 * @param source - A `Table`, `Query`, `Upload` or `ReadStream` (anything with `toArrowBatchIterator`).
 * @param options - The read options (`maxResults`, `variables`, `batchPreprocessor`, `signal`…) and the output's.
 * @returns The dataset's folder, files, row count and schema.
 * @throws ResourceUsageError when `path` exists without `overwrite`, or `maxRowsPerFile` is not a positive integer.
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
    maxRowsPerFile = format === 'arrow' ? 1_000_000 : 100_000,
    overwrite = false,
    onFileWritten,
    ...read
  } = options;
  if (format !== 'arrow' && format !== 'parquet') {
    throw new ResourceUsageError(`format must be 'arrow' or 'parquet', not ${JSON.stringify(format)}`);
  }
  if (!Number.isSafeInteger(maxRowsPerFile) || maxRowsPerFile < 1) {
    throw new ResourceUsageError('maxRowsPerFile must be a positive integer');
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
      await (format === 'arrow' ? writeArrowFile : writeParquetFile)(file, part.batches);
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
