import {
  type Data,
  type DataType,
  type Date_,
  DateUnit,
  type Float,
  type Int,
  makeVector,
  type Time,
  type Timestamp,
  TimeUnit,
  Type,
} from 'apache-arrow';
import { UnsafeIntegerError } from './errors.js';
import { type ColumnFiller, type ColumnInterner, stringFiller, validityBits } from './string-column.js';
import { formatDate, formatDateTime, formatDateTimeParts, formatTime, formatTimeParts } from './temporal.js';
import type { Int64Mode, RowValue } from './types.js';

export { type ColumnFiller, ColumnInterner } from './string-column.js';

/**
 * Converts whole columns into plain JavaScript values (the README's type table), one tight loop per column type
 * instead of a closure call per cell. Values follow the README's type table; what this file decides is how
 * they are built (see the README's listRows profile).
 */

const TWO_32 = 0x1_0000_0000;
// int64 cells are read as two 32-bit halves: reading a BigInt64Array allocates a BigInt per cell.
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
// |hi| below 2^21 means |value| < 2^53: exact as a number.
const SAFE_HI = 0x20_0000;
const DAY_US = 86_400_000_000;
const TO_MICROS: Record<TimeUnit, (v: bigint) => bigint> = {
  [TimeUnit.SECOND]: (v) => v * 1_000_000n,
  [TimeUnit.MILLISECOND]: (v) => v * 1_000n,
  [TimeUnit.MICROSECOND]: (v) => v,
  [TimeUnit.NANOSECOND]: (v) => v / 1_000n,
};

/** Reads the value of valid cell i. */
type Cell = (i: number) => RowValue;

/**
 * The filler of one column (one Arrow `Data`): per-batch work (an ASCII scan, one decode of a string column) is
 * done here once, so that callers can take the rows in slices. Each common type has its own loop, so that the
 * conversion inlines into it; one loop calling a per-cell function for every column would see six different
 * functions at one call site and inline none of them (the README's listRows profile).
 *
 * @param data - The column of one batch.
 * @param variable - Its name, for error messages.
 * @param int64 - Integer mapping.
 * @param interner - The column's interner for this read.
 */
export function columnFiller(
  data: Data,
  variable: string,
  int64: Int64Mode,
  interner: ColumnInterner,
): ColumnFiller {
  return fastFiller(data, variable, int64, interner) ?? cellFiller(data, cellsOf(data, variable, int64));
}

/** Every value of one column as plain JavaScript values, written into `out` from index 0. */
export function columnValues(
  data: Data,
  variable: string,
  int64: Int64Mode,
  interner: ColumnInterner,
  out: RowValue[],
): void {
  columnFiller(data, variable, int64, interner)(0, data.length, out);
}

/** The bit of cell i in a validity bitmap (or in a boolean column's values). */
const bit = (bits: Uint8Array, i: number) => ((bits[i >> 3] as number) & (1 << (i & 7))) !== 0;

/** A loop of its own for each common column type, or `undefined` for the per-cell path. */
function fastFiller(
  data: Data,
  variable: string,
  int64: Int64Mode,
  interner: ColumnInterner,
): ColumnFiller | undefined {
  const type = data.type as DataType;
  const valid = validityBits(data);
  const at = data.offset;
  switch (type.typeId) {
    case Type.Int: {
      if ((type as Int).bitWidth !== 64) return numberFiller(data.values as ArrayLike<number>, valid, at);
      if (int64 !== 'number' || !LITTLE_ENDIAN || !(type as Int).isSigned) return undefined;
      const values = data.values as BigInt64Array;
      const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      return (from, count, out) => {
        for (let k = 0, i = from; k < count; k++, i++) {
          if (valid !== null && !bit(valid, at + i)) {
            out[k] = null;
            continue;
          }
          const lo = halves[2 * i] as number;
          const hi = halves[2 * i + 1] as number;
          if (!(hi < SAFE_HI && (hi > -SAFE_HI || (hi === -SAFE_HI && lo !== 0)))) {
            throw new UnsafeIntegerError({ variable, value: String(values[i]) });
          }
          out[k] = hi * TWO_32 + (lo >>> 0);
        }
      };
    }
    case Type.Float:
      // float16 needs decoding.
      if ((type as Float).precision === 0) return undefined;
      return numberFiller(data.values as ArrayLike<number>, valid, at);
    case Type.Bool: {
      const values = data.values as Uint8Array;
      return (from, count, out) => {
        for (let k = 0, i = from; k < count; k++, i++) {
          out[k] = valid !== null && !bit(valid, at + i) ? null : bit(values, at + i);
        }
      };
    }
    case Type.Date: {
      if ((type as Date_).unit !== DateUnit.DAY) return undefined;
      const values = data.values as Int32Array;
      return (from, count, out) => {
        for (let k = 0, i = from; k < count; k++, i++) {
          out[k] = valid !== null && !bit(valid, at + i) ? null : formatDate(values[i] as number);
        }
      };
    }
    case Type.Timestamp:
    case Type.Time:
      return microsFiller(data, type as Timestamp | Time, valid);
    case Type.Utf8:
      return stringFiller(data, interner);
    default:
      return undefined;
  }
}

function numberFiller(values: ArrayLike<number>, valid: Uint8Array | null, at: number): ColumnFiller {
  return (from, count, out) => {
    for (let k = 0, i = from; k < count; k++, i++) {
      out[k] = valid !== null && !bit(valid, at + i) ? null : (values[i] as number);
    }
  };
}

/**
 * Timestamps as 'YYYY-MM-DDTHH:MM:SS.ffffff' and times as 'HH:MM:SS.ffffff' from microseconds held exactly in a
 * number (read as two 32-bit halves); the rare value beyond ±2^53 µs takes the BigInt path. The value is split into
 * days, second and microseconds here, in the loop, and only those small integers are passed on: a call taking the
 * microseconds themselves (beyond 2^31) would box each into a heap number, a third of the garbage listRows made.
 */
function microsFiller(
  data: Data,
  type: Timestamp | Time,
  valid: Uint8Array | null,
): ColumnFiller | undefined {
  const values = data.values as BigInt64Array | Int32Array;
  if (type.unit !== TimeUnit.MICROSECOND || !(values instanceof BigInt64Array) || !LITTLE_ENDIAN) {
    return undefined;
  }
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const at = data.offset;
  // Not interned: dateTimes rarely repeat, and times of whole seconds are cached by formatTimeParts.
  if (type.typeId === Type.Time) {
    return (from, count, out) => {
      for (let k = 0, i = from; k < count; k++, i++) {
        if (valid !== null && !bit(valid, at + i)) {
          out[k] = null;
          continue;
        }
        const lo = halves[2 * i] as number;
        const hi = halves[2 * i + 1] as number;
        const us = hi * TWO_32 + (lo >>> 0);
        if (hi >= 0 && us < DAY_US) {
          const second = Math.floor(us / 1_000_000);
          out[k] = formatTimeParts(second, us - second * 1_000_000);
        } else out[k] = formatTime(values[i] as bigint);
      }
    };
  }
  return (from, count, out) => {
    for (let k = 0, i = from; k < count; k++, i++) {
      if (valid !== null && !bit(valid, at + i)) {
        out[k] = null;
        continue;
      }
      const lo = halves[2 * i] as number;
      const hi = halves[2 * i + 1] as number;
      if (hi < SAFE_HI && hi > -SAFE_HI) {
        const us = hi * TWO_32 + (lo >>> 0);
        const days = Math.floor(us / DAY_US);
        const rest = us - days * DAY_US;
        const second = Math.floor(rest / 1_000_000);
        out[k] = formatDateTimeParts(days, second, rest - second * 1_000_000);
      } else out[k] = formatDateTime(values[i] as bigint);
    }
  };
}

/** Microsecond int64 cells as numbers where exact, else `undefined` for the caller to take the BigInt path. */
function exactNumber(halves: Int32Array, i: number): number | undefined {
  const lo = halves[2 * i] as number;
  const hi = halves[2 * i + 1] as number;
  return hi < SAFE_HI && hi > -SAFE_HI ? hi * TWO_32 + (lo >>> 0) : undefined;
}

/** The per-cell path, for the types and modes without a loop of their own. */
function cellFiller(data: Data, cell: Cell): ColumnFiller {
  const valid = validityBits(data);
  const at = data.offset;
  return (from, count, out) => {
    for (let k = 0, i = from; k < count; k++, i++) {
      out[k] = valid !== null && !bit(valid, at + i) ? null : cell(i);
    }
  };
}

/** The reader of one column's valid cells, for what {@link fastFiller} leaves. */
function cellsOf(data: Data, variable: string, int64: Int64Mode): Cell {
  const type = data.type as DataType;
  const values = data.values as ArrayLike<number | bigint>;
  switch (type.typeId) {
    case Type.Int: {
      const big = values as BigInt64Array;
      if (int64 === 'bigint') return (i) => big[i] as bigint;
      if (int64 === 'string' && LITTLE_ENDIAN && (type as Int).isSigned) return int64Strings(big);
      if (int64 === 'string') return (i) => String(big[i]);
      return (i) => {
        const v = big[i] as bigint;
        if (!Number.isSafeInteger(Number(v))) throw new UnsafeIntegerError({ variable, value: String(v) });
        return Number(v);
      };
    }
    case Type.Date:
      return (i) => formatDate(Math.floor(Number(values[i]) / 86_400_000));
    case Type.Timestamp:
      return (i) => formatDateTime(TO_MICROS[(type as Timestamp).unit](BigInt(values[i] as bigint | number)));
    case Type.Time:
      return (i) => formatTime(TO_MICROS[(type as Time).unit](BigInt(values[i] as bigint | number)));
    case Type.Null:
      return () => null;
    default: {
      // float16, and anything the server should not send: apache-arrow's own value.
      const vector = makeVector(data);
      return (i) => vector.get(i) as RowValue;
    }
  }
}

/** int64 cells as decimal strings: through a number where exact (no BigInt allocated), else the BigInt's. */
function int64Strings(values: BigInt64Array): Cell {
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  return (i) => {
    const exact = exactNumber(halves, i);
    return exact === undefined ? String(values[i]) : String(exact);
  };
}
