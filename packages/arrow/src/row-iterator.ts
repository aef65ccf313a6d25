import type { RecordBatch } from 'apache-arrow';
import type { Tagged } from './merge.js';
import { readPlan } from './pipeline.js';
import { planRead } from './readers.js';
import { RowMaterializer } from './rows.js';
import type { ArrayRowReadOptions, ArrowClient, Row, RowReadOptions, RowValue } from './types.js';

const SLICE_ROWS = 1024;

/**
 * Streams a table, query result or upload row by row (objects, or arrays with `rowMode: 'arrays'`; values as in
 * {@link listRows}). Memory stays flat however many rows there are: one batch is converted at a time, and a slow
 * loop slows the network reads (see Back-pressure in the README). With several streams, rows of a table's streams
 * interleave batch by batch (pass `maxParallelization: 1` for table order); a query result's rows keep the query's
 * order (ORDER BY). Nothing is requested until iteration
 * starts; breaking out of the loop cancels the open responses.
 *
 * @example
 * ```ts
 * for await (const row of toRowIterator(client, '/tables/demo.weather_sample.daily_observations')) {
 *   total += row.value as number;
 * }
 * ```
 *
 * @param client - The core client.
 * @param sourceUri - API path of a table, query or upload.
 * @param options - See {@link RowReadOptions}.
 * @throws RangeError for an unknown `rowMode` (when iteration starts, before any request).
 */
export function toRowIterator(
  client: ArrowClient,
  sourceUri: string,
  options: ArrayRowReadOptions,
): AsyncGenerator<RowValue[], void, undefined>;
export function toRowIterator(
  client: ArrowClient,
  sourceUri: string,
  options?: RowReadOptions & { rowMode?: 'objects' },
): AsyncGenerator<Row, void, undefined>;
export function toRowIterator(
  client: ArrowClient,
  sourceUri: string,
  options: RowReadOptions = {},
): AsyncGenerator<Row | RowValue[], void, undefined> {
  // Batches are delegated, rows are not: every generator a row passes through costs it a promise.
  async function* batches() {
    yield* readPlan(client, await planRead(client, sourceUri, options), options);
  }
  return iterateRows(batches(), options);
}

/**
 * The rows of a read's batches, one batch converted at a time. `rowMode` is checked on the first `next()`, before
 * the batches (and so any request) are asked for.
 */
export async function* iterateRows<R extends Row | RowValue[]>(
  batches: AsyncIterable<Tagged<RecordBatch>>,
  options: RowReadOptions,
): AsyncGenerator<R, void, undefined> {
  const materializer = new RowMaterializer<R>(options);
  const rows: R[] = [];
  for await (const { value } of batches) {
    // Rows are made a slice at a time, so that those the loop has finished with die young (a whole batch of row
    // objects would outlive a few minor collections and fill the old generation with garbage).
    for (let from = 0; from < value.numRows; from += SLICE_ROWS) {
      rows.length = 0;
      materializer.append(value, rows, from, Math.min(value.numRows, from + SLICE_ROWS));
      // Index loop: the rows array is reused for the next slice, and an array iterator would see it change.
      for (let i = 0; i < rows.length; i++) yield rows[i] as R;
    }
  }
}
