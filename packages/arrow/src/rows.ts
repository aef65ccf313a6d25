import type { Data, RecordBatch, Vector } from 'apache-arrow';
import { type ColumnFiller, ColumnInterner, columnFiller, columnValues } from './column-values.js';
import { arrayRowBuilder, objectRowBuilder, type RowBuilder } from './row-shape.js';
import type { Int64Mode, Row, RowMode, RowValue } from './types.js';

/**
 * Turns the record batches of one read into rows. Each column of a batch is converted in one pass (see
 * column-values.ts), then the rows are built from the converted columns with one generated constructor per schema
 * (see row-shape.ts). Kept for the whole read, so repeated strings are shared across batches.
 */
export class RowMaterializer<R extends Row | RowValue[] = Row> {
  readonly #int64: Int64Mode;
  readonly #rowMode: RowMode;
  #names: readonly string[] = [];
  #interners: ColumnInterner[] = [];
  #build: RowBuilder<R> | undefined;
  #columns: RowValue[][] = [];
  #batch: RecordBatch | undefined;
  #fillers: ColumnFiller[] = [];

  /**
   * @param options - `int64`: integer mapping (default `'number'`); `rowMode`: objects (default) or arrays.
   */
  constructor(options: { int64?: Int64Mode | undefined; rowMode?: RowMode | undefined } = {}) {
    this.#int64 = options.int64 ?? 'number';
    this.#rowMode = checkRowMode(options.rowMode);
  }

  /**
   * Appends rows [from, to) of the batch to `out` and returns `out`. Taking a batch in slices (same batch, one call
   * per slice) converts it once per slice but prepares it once.
   */
  append(batch: RecordBatch, out: R[] = [], from = 0, to = batch.numRows): R[] {
    if (batch !== this.#batch) this.#prepare(batch);
    const count = to - from;
    const columns = this.#columns;
    for (let j = 0; j < columns.length; j++) {
      if ((columns[j] as RowValue[]).length < count) columns[j] = new Array(count);
      (this.#fillers[j] as ColumnFiller)(from, count, columns[j] as RowValue[]);
    }
    (this.#build as RowBuilder<R>)(columns, count, out);
    return out;
  }

  #prepare(batch: RecordBatch): void {
    const names = batch.schema.fields.map((f) => f.name);
    if (!sameNames(names, this.#names)) this.#reshape(names);
    this.#batch = batch;
    this.#fillers = names.map((name, j) =>
      columnFiller(
        (batch.getChildAt(j) as Vector).data[0] as Data,
        name,
        this.#int64,
        this.#interners[j] as ColumnInterner,
      ),
    );
  }

  #reshape(names: readonly string[]): void {
    this.#names = names;
    this.#interners = names.map(() => new ColumnInterner());
    this.#columns = names.map(() => []);
    this.#build = (this.#rowMode === 'arrays' ? arrayRowBuilder : objectRowBuilder(names)) as RowBuilder<R>;
  }
}

/**
 * Checks a `rowMode` option before any request is sent.
 *
 * @throws RangeError for anything but `'objects'`, `'arrays'` or `undefined`.
 */
export function checkRowMode(rowMode: RowMode | undefined): RowMode {
  if (rowMode === undefined) return 'objects';
  if (rowMode !== 'objects' && rowMode !== 'arrays') {
    throw new RangeError(`rowMode must be 'objects' or 'arrays', got ${String(rowMode)}`);
  }
  return rowMode;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, j) => name === b[j]);
}

/**
 * Converts a record batch into plain rows: objects keyed by column name in column order (default), or arrays of
 * values in column order with `rowMode: 'arrays'`. Values follow the README's type table.
 *
 * @param batch - Any record batch (typically one from {@link toArrowBatchIterator}).
 * @param options - `int64`: integer mapping (default `'number'`, which throws `UnsafeIntegerError` when a value
 *   is beyond ±(2^53 − 1)); `rowMode`: `'objects'` (default) or `'arrays'`.
 * @returns One row per record.
 */
export function batchToRows(
  batch: RecordBatch,
  options: { int64?: Int64Mode; rowMode: 'arrays' },
): RowValue[][];
export function batchToRows(batch: RecordBatch, options?: { int64?: Int64Mode; rowMode?: 'objects' }): Row[];
export function batchToRows(
  batch: RecordBatch,
  options: { int64?: Int64Mode; rowMode?: RowMode } = {},
): Row[] | RowValue[][] {
  return new RowMaterializer<Row | RowValue[]>(options).append(batch) as Row[] | RowValue[][];
}

/**
 * Converts a record batch into its columns of plain values: one array per column, in column order, each as long as
 * the batch. Values follow the README's type table, as in {@link batchToRows}; nothing is built per row, so a
 * caller that works column by column (a CSV encoder, a column statistic) skips the row objects altogether.
 *
 * @param batch - Any record batch (typically one from {@link toArrowBatchIterator}).
 * @param options - `int64`: integer mapping (default `'number'`, which throws `UnsafeIntegerError` beyond
 *   ±(2^53 − 1)).
 * @returns One array of values per column.
 */
export function batchToColumns(batch: RecordBatch, options: { int64?: Int64Mode } = {}): RowValue[][] {
  const int64 = options.int64 ?? 'number';
  return batch.schema.fields.map((field, j) => {
    const out: RowValue[] = new Array(batch.numRows);
    const data = (batch.getChildAt(j) as Vector).data[0] as Data;
    columnValues(data, field.name, int64, new ColumnInterner(), out);
    return out;
  });
}
