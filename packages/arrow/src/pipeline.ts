import { callOptionsOf } from '@redivis-ts/core';
import { type RecordBatch, Table } from 'apache-arrow';
import { mergeBounded, type Tagged } from './merge.js';
import { mergeOrdered } from './ordered-merge.js';
import { RowMaterializer } from './rows.js';
import { BatchReconciler, schemaForVariables } from './schema.js';
import { readStream } from './stream.js';
import type {
  ArrowClient,
  ReadOptions,
  ReadStreamInfo,
  Row,
  RowReadOptions,
  RowValue,
  VariableInfo,
} from './types.js';

/** What a read needs once the session exists: the streams, the variables (for the schema) and the row total. */
export interface ReadPlan {
  streams: readonly ReadStreamInfo[];
  variables: readonly VariableInfo[];
  numRows?: number;
  /**
   * Whether batches must come out in stream order. True for query results: a query's ORDER BY is the order of its
   * contiguous streams, which iterators would otherwise interleave as batches arrive.
   */
  ordered?: boolean;
}

/** Streams read at once when the caller does not say. */
export const DEFAULT_PARALLELIZATION = 8;

/**
 * Checks the numeric options before any request is sent.
 *
 * @throws RangeError for a negative or fractional `maxResults` or a `maxParallelization` below 1.
 */
export function checkReadOptions(options: ReadOptions): void {
  const { maxResults, maxParallelization } = options;
  if (maxResults !== undefined && !(Number.isSafeInteger(maxResults) && maxResults >= 0)) {
    throw new RangeError(`maxResults must be a non-negative integer, got ${maxResults}`);
  }
  if (
    maxParallelization !== undefined &&
    !(Number.isSafeInteger(maxParallelization) && maxParallelization >= 1)
  ) {
    throw new RangeError(`maxParallelization must be a positive integer, got ${maxParallelization}`);
  }
}

/**
 * Reads every stream of a plan (up to `maxParallelization` at once), reconciles each batch to the variables'
 * schema, cuts at `maxResults`, applies the preprocessor and reports progress. Batches are tagged with their
 * stream's index so that collectors can restore stream order; an `ordered` plan yields them in stream order.
 */
export async function* readPlan(
  client: ArrowClient,
  plan: ReadPlan,
  options: ReadOptions,
): AsyncGenerator<Tagged<RecordBatch>, void, undefined> {
  const cap = options.maxResults ?? Number.POSITIVE_INFINITY;
  if (cap === 0) return;
  const reconciler = new BatchReconciler(schemaForVariables(plan.variables));
  const totalRows = plan.numRows === undefined ? undefined : Math.min(plan.numRows, cap);
  const concurrency = Math.min(options.maxParallelization ?? DEFAULT_PARALLELIZATION, plan.streams.length);
  let bytes = 0;
  let rows = 0;
  const onBytes = (n: number) => {
    bytes += n;
  };
  const sources = plan.streams.map(
    (stream) => (signal: AbortSignal) =>
      readStream(client, stream.id, {
        ...callOptionsOf(options),
        signal,
        onBytes,
        ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
      }),
  );
  const signal = options.signal ? { signal: options.signal } : {};
  // Ordered: each stream buffers two batches ahead, so the streams after the one being consumed keep flowing.
  const merged = plan.ordered
    ? mergeOrdered(sources, { concurrency, capacity: 2, ...signal })
    : mergeBounded(sources, { concurrency, capacity: Math.max(2, concurrency), ...signal });
  for await (const { source, value } of merged) {
    const raw = value.numRows > cap - rows ? value.slice(0, cap - rows) : value;
    rows += raw.numRows;
    let batch: RecordBatch | null | undefined = reconciler.reconcile(raw);
    if (options.batchPreprocessor) batch = await options.batchPreprocessor(batch);
    options.onProgress?.({ rows, bytes, ...(totalRows === undefined ? {} : { totalRows }) });
    if (batch) yield { source, value: batch };
    // Leaving the loop returns the merge, which cancels the streams still open.
    if (rows >= cap) break;
  }
}

/** Collects a read into one Table, batches in stream order (so a table read comes back in table order). */
export async function collectTable(
  batches: AsyncIterable<Tagged<RecordBatch>>,
  plan: ReadPlan,
): Promise<Table> {
  const byStream: RecordBatch[][] = plan.streams.map(() => []);
  for await (const { source, value } of batches) byStream[source]!.push(value);
  const all = byStream.flat();
  if (all.length === 0) return new Table(schemaForVariables(plan.variables));
  return new Table(all);
}

/**
 * Collects a read into plain rows (objects, or arrays with `rowMode: 'arrays'`), in stream order; each batch is
 * converted as it arrives, straight into its stream's list.
 */
export async function collectRows<R extends Row | RowValue[] = Row>(
  batches: AsyncIterable<Tagged<RecordBatch>>,
  plan: ReadPlan,
  options: RowReadOptions,
): Promise<R[]> {
  const materializer = new RowMaterializer<R>(options);
  const byStream: R[][] = plan.streams.map(() => []);
  for await (const { source, value } of batches) materializer.append(value, byStream[source]);
  return byStream.length === 1 ? (byStream[0] as R[]) : concatenate(byStream);
}

/** The lists one after the other (`Array.prototype.flat` checks every element for holes: 4× slower here). */
function concatenate<T>(lists: readonly T[][]): T[] {
  let total = 0;
  for (const list of lists) total += list.length;
  const all: T[] = new Array(total);
  let at = 0;
  for (const list of lists) for (let i = 0; i < list.length; i++) all[at++] = list[i] as T;
  return all;
}

/** A pull-driven web ReadableStream over an async iterator: one batch per read, cancel returns the iterator. */
export function iteratorToReadableStream<T>(iterable: AsyncIterable<T>): ReadableStream<T> {
  let iterator: AsyncIterator<T> | undefined;
  return new ReadableStream<T>(
    {
      async pull(controller) {
        iterator ??= iterable[Symbol.asyncIterator]();
        const result = await iterator.next();
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Strips the stream tags. */
export async function* untag<T>(tagged: AsyncIterable<Tagged<T>>): AsyncGenerator<T, void, undefined> {
  for await (const { value } of tagged) yield value;
}
