import {
  type DataType,
  type Date_,
  DateUnit,
  type Float,
  type Int,
  type RecordBatch,
  type Time,
  type Timestamp,
  TimeUnit,
  Type,
  type Vector,
} from 'apache-arrow';
import { UnsafeIntegerError } from './errors.js';
import { formatDate, formatDateTime, formatTime } from './temporal.js';
import type { Int64Mode, Row, RowValue } from './types.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;
const TO_MICROS: Record<TimeUnit, (v: bigint) => bigint> = {
  [TimeUnit.SECOND]: (v) => v * 1_000_000n,
  [TimeUnit.MILLISECOND]: (v) => v * 1_000n,
  [TimeUnit.MICROSECOND]: (v) => v,
  [TimeUnit.NANOSECOND]: (v) => v / 1_000n,
};

/**
 * Returns a reader of one column's cells as plain JavaScript values (the README's type table): int64 by `int64`,
 * floats as numbers, booleans, dates as 'YYYY-MM-DD', timestamps as 'YYYY-MM-DDTHH:MM:SS.ffffff' (no time
 * zone), times as 'HH:MM:SS.ffffff', strings (and WKT geography) as strings, nulls as `null`.
 *
 * @param vector - One column of a batch.
 * @param variable - Its name, for error messages.
 * @param int64 - Integer mapping.
 */
export function cellReader(vector: Vector, variable: string, int64: Int64Mode): (i: number) => RowValue {
  const data = vector.data[0]!;
  const type = vector.type as DataType;
  const hasNulls = data.nullCount > 0;
  const values = data.values as ArrayLike<number | bigint>;
  const valid = (i: number) => !hasNulls || data.getValid(i);
  const wrap =
    <T extends RowValue>(fn: (i: number) => T) =>
    (i: number): RowValue =>
      valid(i) ? fn(i) : null;

  switch (type.typeId) {
    case Type.Int:
      if ((type as Int).bitWidth === 64) {
        const vals = values as ArrayLike<bigint>;
        if (int64 === 'bigint') return wrap((i) => vals[i]!);
        if (int64 === 'string') return wrap((i) => String(vals[i]!));
        return wrap((i) => {
          const v = vals[i]!;
          if (v > MAX_SAFE || v < MIN_SAFE) throw new UnsafeIntegerError({ variable, value: String(v) });
          return Number(v);
        });
      }
      return wrap((i) => values[i] as number);
    case Type.Float:
      if ((type as Float).precision === 0) return wrap((i) => vector.get(i) as number); // float16 needs decoding
      return wrap((i) => values[i] as number);
    case Type.Date:
      if ((type as Date_).unit === DateUnit.DAY) return wrap((i) => formatDate(values[i] as number));
      return wrap((i) => formatDate(Math.floor(Number(values[i]) / 86_400_000)));
    case Type.Timestamp: {
      const toMicros = TO_MICROS[(type as Timestamp | Time).unit];
      return wrap((i) => formatDateTime(toMicros(BigInt(values[i]!))));
    }
    case Type.Time: {
      const toMicros = TO_MICROS[(type as Timestamp | Time).unit];
      return wrap((i) => formatTime(toMicros(BigInt(values[i]!))));
    }
    case Type.Utf8:
      return utf8Reader(vector, wrap);
    case Type.Null:
      return () => null;
    default:
      // Bool, Utf8 (string and WKT geography), and anything the server should not send: apache-arrow's own value.
      return wrap((i) => vector.get(i) as RowValue);
  }
}

const latin1 = new TextDecoder('latin1');

/**
 * Strings of a utf8 column. When the column's bytes are all ASCII (ids, codes, WKT — the common case), they are
 * decoded once as one string and each cell is a substring of it, instead of one TextDecoder call per cell.
 */
function utf8Reader(vector: Vector, wrap: (fn: (i: number) => RowValue) => (i: number) => RowValue) {
  const data = vector.data[0]!;
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const start = offsets[0]!;
  const end = offsets[data.length]!;
  for (let k = start; k < end; k++) {
    if (bytes[k]! > 0x7f) return wrap((i) => vector.get(i) as string);
  }
  const text = latin1.decode(bytes.subarray(start, end));
  return wrap((i) => text.slice(offsets[i]! - start, offsets[i + 1]! - start));
}

/**
 * Converts a record batch into plain row objects keyed by column name, in column order.
 *
 * @param batch - Any record batch (typically one from {@link toArrowBatchIterator}).
 * @param options - `int64`: integer mapping (default `'number'`, which throws `UnsafeIntegerError` when a value
 *   is beyond ±(2^53 − 1)).
 * @returns One object per row.
 */
export function batchToRows(batch: RecordBatch, options: { int64?: Int64Mode } = {}): Row[] {
  const int64 = options.int64 ?? 'number';
  const names = batch.schema.fields.map((f) => f.name);
  const readers = names.map((name, j) => cellReader(batch.getChildAt(j)!, name, int64));
  const rows: Row[] = new Array(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) {
    const row: Row = {};
    for (let j = 0; j < names.length; j++) row[names[j]!] = readers[j]!(i);
    rows[i] = row;
  }
  return rows;
}
