import { callOptionsOf } from '@redivis-ts/core';
import type { RecordBatch, Table } from 'apache-arrow';
import type { Tagged } from './merge.js';
import {
  checkReadOptions,
  collectRows,
  collectTable,
  DEFAULT_PARALLELIZATION,
  iteratorToReadableStream,
  type ReadPlan,
  readPlan,
  untag,
} from './pipeline.js';
import { createReadSession, listVariables, selectVariables } from './session.js';
import { checkRowMode } from './rows.js';
import type {
  ArrayRowReadOptions,
  ArrowClient,
  ReadOptions,
  Row,
  RowReadOptions,
  RowValue,
} from './types.js';

/**
 * The preamble every reader runs: list the variables (`GET {uri}/variables`), pick the requested ones, then
 * create the read session with as many streams as will be read in parallel.
 */
export async function planRead(
  client: ArrowClient,
  sourceUri: string,
  options: ReadOptions,
): Promise<ReadPlan> {
  checkReadOptions(options);
  const variables = selectVariables(
    await listVariables(client, sourceUri, callOptionsOf(options)),
    options.variables,
    sourceUri,
  );
  // A query's rows have the order its SQL gave them (ORDER BY), split into contiguous streams: keep it.
  const ordered = /^(?:https?:\/\/[^/]+)?(?:\/api\/v1)?\/queries\//.test(sourceUri);
  if (options.maxResults === 0) return { streams: [], variables, numRows: 0, ordered };
  const session = await createReadSession(client, sourceUri, {
    requestedStreamCount: options.maxParallelization ?? DEFAULT_PARALLELIZATION,
    ...(options.maxResults !== undefined ? { maxResults: options.maxResults } : {}),
    ...(options.variables !== undefined ? { variables: options.variables } : {}),
    ...callOptionsOf(options),
  });
  return {
    streams: session.streams,
    variables,
    ordered,
    ...(session.numRows == null ? {} : { numRows: Number(session.numRows) }),
  };
}

async function* planned(
  client: ArrowClient,
  sourceUri: string,
  options: ReadOptions,
): AsyncGenerator<Tagged<RecordBatch>, void, undefined> {
  yield* readPlan(client, await planRead(client, sourceUri, options), options);
}

/**
 * Streams a table, query result or upload as Arrow record batches. Memory stays flat however many rows there
 * are: streams are decoded incrementally and at most a few batches wait for the consumer (a slow consumer slows
 * the network reads). With several streams, a table's batches arrive interleaved in no fixed order, while a query
 * result's come in the query's order (stream by stream, the later streams read ahead); every row comes exactly
 * once. Nothing is requested until iteration starts; breaking out of the loop cancels the open responses.
 *
 * Every batch has the schema of the selected variables, in order (see the README's type table).
 *
 * @example
 * ```ts
 * for await (const batch of toArrowBatchIterator(client, '/tables/demo.iris_species.iris', { maxResults: 100 })) {
 *   console.log(batch.numRows);
 * }
 * ```
 *
 * @param client - The core client.
 * @param sourceUri - API path of a table, query or upload.
 * @param options - See {@link ReadOptions}.
 */
export async function* toArrowBatchIterator(
  client: ArrowClient,
  sourceUri: string,
  options: ReadOptions = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  yield* untag(planned(client, sourceUri, options));
}

/**
 * Reads a table, query result or upload into one Arrow Table, rows in table order (stream by stream).
 *
 * @param client - The core client.
 * @param sourceUri - API path of a table, query or upload.
 * @param options - See {@link ReadOptions}.
 * @returns A Table with one column per selected variable (an empty table with that schema when there are no rows).
 */
export async function toArrowTable(
  client: ArrowClient,
  sourceUri: string,
  options: ReadOptions = {},
): Promise<Table> {
  const plan = await planRead(client, sourceUri, options);
  return collectTable(readPlan(client, plan, options), plan);
}

/**
 * Reads rows as plain objects (variable name → value), in table order; or, with `rowMode: 'arrays'`, as arrays
 * of values in variable order. Values follow the README's type table: integers per `int64` (default `'number'`,
 * which throws `UnsafeIntegerError` rather than lose precision), dates as `'YYYY-MM-DD'`, dateTimes as
 * `'YYYY-MM-DDTHH:MM:SS.ffffff'`, times as `'HH:MM:SS.ffffff'`, geography as WKT, nulls as `null`. Every row is
 * held in memory; {@link toRowIterator} walks any number of rows in flat memory.
 *
 * @param client - The core client.
 * @param sourceUri - API path of a table, query or upload.
 * @param options - See {@link RowReadOptions}.
 * @throws RangeError for an unknown `rowMode` (before any request).
 */
export async function listRows(
  client: ArrowClient,
  sourceUri: string,
  options: ArrayRowReadOptions,
): Promise<RowValue[][]>;
export async function listRows(
  client: ArrowClient,
  sourceUri: string,
  options?: RowReadOptions & { rowMode?: 'objects' },
): Promise<Row[]>;
export async function listRows(
  client: ArrowClient,
  sourceUri: string,
  options: RowReadOptions = {},
): Promise<Row[] | RowValue[][]> {
  checkRowMode(options.rowMode);
  const plan = await planRead(client, sourceUri, options);
  return collectRows<Row>(readPlan(client, plan, options), plan, options);
}

/**
 * The batches of {@link toArrowBatchIterator} as a web `ReadableStream` (pull-driven: one batch is read per
 * `read()`; `cancel()` closes the open responses).
 *
 * @param client - The core client.
 * @param sourceUri - API path of a table, query or upload.
 * @param options - See {@link ReadOptions}.
 */
export function toReadableStream(
  client: ArrowClient,
  sourceUri: string,
  options: ReadOptions = {},
): ReadableStream<RecordBatch> {
  return iteratorToReadableStream(toArrowBatchIterator(client, sourceUri, options));
}
