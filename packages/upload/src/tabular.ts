// What counts as tabular data, kept apart from the Parquet encoder so that deciding how to send content does not
// load hyparquet-writer: create-upload imports this statically and the encoder only when it has tabular data.
import type { RecordBatch, Table } from 'apache-arrow';

/** A plain row: variable name → value (`null`/`undefined` for missing). */
export type RowInput = Record<string, unknown>;

/** In-memory tabular data that `create()` sends as Parquet. */
export type TabularData = Table | RecordBatch[] | RowInput[];

/** Whether `value` is an apache-arrow Table (duck-typed, so a second copy of apache-arrow works too). */
export function isArrowTable(value: unknown): value is Table {
  const t = value as Table;
  return !!t && typeof t === 'object' && Array.isArray(t.batches) && typeof t.getChildAt === 'function';
}

/** Whether `value` is an apache-arrow RecordBatch (duck-typed, like {@link isArrowTable}). */
export function isRecordBatch(value: unknown): value is RecordBatch {
  const b = value as RecordBatch;
  return (
    !!b && typeof b === 'object' && typeof b.getChildAt === 'function' && 'numRows' in b && !('batches' in b)
  );
}

function isPlainRow(value: unknown): value is RowInput {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether `content` is tabular data (an Arrow Table, Arrow record batches, or an array of plain row objects). */
export function isTabularData(content: unknown): content is TabularData {
  if (isArrowTable(content)) return true;
  if (!Array.isArray(content) || content.length === 0) return false;
  return content.every(isRecordBatch) || content.every(isPlainRow);
}
