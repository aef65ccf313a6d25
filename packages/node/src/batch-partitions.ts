import type { RecordBatch, Schema } from 'apache-arrow';

/** Batches as the readers hand them out. */
export type BatchSource = AsyncIterable<RecordBatch>;

/** One file's share of the batches, read lazily: consume `batches` fully before asking for the next part. */
export interface BatchPartition {
  /** The part's batches, cut so that the part holds at most the limit's rows. */
  batches: AsyncIterable<RecordBatch>;
  /** Rows handed out by `batches` so far (all of the part's once it was consumed). */
  numRows(): number;
  /** The schema of the part's first batch. */
  schema(): Schema;
}

/**
 * Splits a stream of batches into consecutive parts of at most `maxRows` rows each, slicing a batch that crosses a
 * boundary (slices share the batch's buffers: nothing is copied). A new part starts only when another batch exists,
 * so there is never an empty trailing part; a source of only empty batches gives one part holding them (a file
 * with the schema and no rows). Only the batch being handed on is held.
 *
 * @internal
 */
export async function* partitionBatches(
  source: BatchSource,
  maxRows: number,
): AsyncGenerator<BatchPartition> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: RecordBatch | undefined;
  let finished = false;
  const next = async (): Promise<RecordBatch | undefined> => {
    if (pending) {
      const batch = pending;
      pending = undefined;
      return batch;
    }
    if (finished) return undefined;
    const step = await iterator.next();
    if (step.done) {
      finished = true;
      return undefined;
    }
    return step.value;
  };
  try {
    for (let part = 0; ; part++) {
      let first = await next();
      // Empty batches after a full part would make an empty trailing file.
      while (first && first.numRows === 0 && part > 0) first = await next();
      if (!first) return;
      pending = first;
      let rows = 0;
      const batches: AsyncIterable<RecordBatch> = {
        async *[Symbol.asyncIterator]() {
          while (rows < maxRows) {
            let batch = await next();
            if (!batch) return;
            if (rows + batch.numRows > maxRows) {
              pending = batch.slice(maxRows - rows);
              batch = batch.slice(0, maxRows - rows);
            }
            rows += batch.numRows;
            yield batch;
          }
        },
      };
      const schema = first.schema;
      yield { batches, numRows: () => rows, schema: () => schema };
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
