import { csvEncoder } from '@redivis-ts/arrow';
import type { RecordBatch } from 'apache-arrow';
import type { ReadOptions, TabularReader } from 'redivis-ts';
import type { CommandContext } from '../core/context.js';
import { UsageError } from '../core/errors.js';
import { createProgress } from '../output/progress.js';
import { writeArrow, writeParquet } from './binary-formats.js';
import { fileSink, type Sink, stdoutSink } from './sink.js';
import { jsonEncoder, ndjsonEncoder, type TextEncoder } from './text-formats.js';

/** The output formats of `read` and `query`. */
export const READ_FORMATS = ['table', 'csv', 'tsv', 'json', 'ndjson', 'arrow', 'parquet'] as const;
/** One of {@link READ_FORMATS}. */
export type ReadFormat = (typeof READ_FORMATS)[number];

/** Rows shown by `--format table` when no --max-results is given: a terminal table is for looking, not for data. */
export const TABLE_PREVIEW_ROWS = 100;

/** Options shared by `read` and `query`. */
export interface ReadCommandOptions {
  format?: ReadFormat;
  out?: string;
  maxResults?: number;
  variables?: string[];
  /** Read the streams one after another, so rows come in table order (parallel streams interleave). */
  ordered?: boolean;
}

const EXTENSIONS: Record<string, ReadFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  arrow: 'arrow',
  arrows: 'arrow',
  parquet: 'parquet',
};

/** The format to use: --format; else the --out extension; else JSON under --json, a table on a terminal, CSV. */
export function chooseFormat(options: ReadCommandOptions, ctx: CommandContext): ReadFormat {
  if (options.format) return options.format;
  const extension = options.out?.split('.').pop()?.toLowerCase();
  if (options.out && extension && EXTENSIONS[extension]) return EXTENSIONS[extension];
  if (ctx.globals.json) return 'json';
  if (!options.out && ctx.io.stdout.isTTY) return 'table';
  return 'csv';
}

/** Stream a table or query result to stdout or a file in the chosen format, with a progress bar on a terminal. */
export async function runRead(
  source: TabularReader,
  options: ReadCommandOptions,
  ctx: CommandContext,
): Promise<void> {
  const format = chooseFormat(options, ctx);
  if (format === 'table' && options.out)
    throw new UsageError('--format table is for the terminal', 'use csv, parquet… with --out');
  if ((format === 'arrow' || format === 'parquet') && !options.out && ctx.io.stdout.isTTY) {
    throw new UsageError(`Not writing binary ${format} to a terminal`, 'pass --out FILE or pipe the output');
  }
  const maxResults = options.maxResults ?? (format === 'table' ? TABLE_PREVIEW_ROWS : undefined);
  const progress = await createProgress(
    ctx.out,
    'rows',
    options.out ? `Reading → ${options.out}` : 'Reading',
  );
  const readOptions: ReadOptions = {
    signal: ctx.signal,
    ...(maxResults !== undefined ? { maxResults } : {}),
    ...(options.variables?.length ? { variables: options.variables } : {}),
    // A terminal preview shows the first rows in table order; parallel streams would interleave them.
    ...(options.ordered || format === 'table' ? { maxParallelization: 1 } : {}),
    onProgress: ({ rows, bytes, totalRows }) =>
      progress.update({ value: rows, bytes, ...(totalRows !== undefined ? { total: totalRows } : {}) }),
  };
  const batches = source.toArrowBatchIterator(readOptions);
  if (format === 'table') {
    progress.stop();
    return renderPreview(batches, maxResults, options.maxResults === undefined, ctx);
  }
  const sink = options.out ? await fileSink(options.out, ctx.io.cwd) : stdoutSink(ctx.io.stdout);
  let rows: number;
  try {
    rows = await writeFormat(format, batches, sink);
    progress.stop();
    await sink.commit();
  } catch (error) {
    progress.stop();
    await sink.abort();
    throw error;
  }
  if (options.out)
    ctx.out.success(`Wrote ${rows.toLocaleString('en-US')} rows to ${options.out} (${format})`);
}

async function writeFormat(
  format: ReadFormat,
  batches: AsyncIterable<RecordBatch>,
  sink: Sink,
): Promise<number> {
  if (format === 'arrow') return writeArrow(batches, sink);
  if (format === 'parquet') return writeParquet(batches, sink);
  const encoder: TextEncoder =
    format === 'tsv'
      ? csvEncoder('\t')
      : format === 'json'
        ? jsonEncoder()
        : format === 'ndjson'
          ? ndjsonEncoder()
          : csvEncoder(',');
  let rows = 0;
  let started = false;
  for await (const batch of batches) {
    if (!started) {
      await sink.write(encoder.start(batch.schema.fields.map((f) => f.name)));
      started = true;
    }
    rows += batch.numRows;
    if (batch.numRows > 0) await sink.write(encoder.batch(batch, rows === batch.numRows));
  }
  if (!started) await sink.write(encoder.start([]));
  await sink.write(encoder.end());
  return rows;
}

async function renderPreview(
  batches: AsyncIterable<RecordBatch>,
  limit: number | undefined,
  defaulted: boolean,
  ctx: CommandContext,
): Promise<void> {
  const { batchToRows } = await import('@redivis-ts/arrow');
  const rows: unknown[][] = [];
  let names: string[] = [];
  for await (const batch of batches) {
    names = batch.schema.fields.map((f) => f.name);
    for (const row of batchToRows(batch, { int64: 'string' })) rows.push(names.map((n) => row[n]));
  }
  ctx.out.table(
    names.map((header) => ({ header })),
    rows,
  );
  const more = defaulted && limit !== undefined && rows.length >= limit;
  ctx.out.status(
    ctx.out.errColor.dim(
      `${rows.length} row${rows.length === 1 ? '' : 's'}${more ? ` shown (the first ${limit}; use --max-results or --format csv for more)` : ''}`,
    ),
  );
}
