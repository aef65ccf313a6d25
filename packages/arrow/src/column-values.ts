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
import {
  formatDate,
  formatDateTime,
  formatDateTimeMicros,
  formatTime,
  formatTimeMicros,
} from './temporal.js';
import type { Int64Mode, RowValue } from './types.js';

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
const TO_MICROS: Record<TimeUnit, (v: bigint) => bigint> = {
  [TimeUnit.SECOND]: (v) => v * 1_000_000n,
  [TimeUnit.MILLISECOND]: (v) => v * 1_000n,
  [TimeUnit.MICROSECOND]: (v) => v,
  [TimeUnit.NANOSECOND]: (v) => v / 1_000n,
};

/**
 * Per-read memory of one column: repeated strings are handed out as one shared string (a read keeps one copy of
 * each station id instead of one per row). A column whose values rarely repeat stops interning once its table is
 * full, so unique columns pay for a bounded number of lookups.
 */
export class ColumnInterner {
  static readonly LIMIT = 65_536;
  #table: Map<string, string> | null = new Map();
  #lookups = 0;
  #hits = 0;

  /** The shared string for `key`, made by `make` the first time. */
  intern(key: string, make: (key: string) => string): string {
    const table = this.#table;
    if (table === null) return make(key);
    this.#lookups++;
    const hit = table.get(key);
    if (hit !== undefined) {
      this.#hits++;
      return hit;
    }
    const value = make(key);
    if (table.size < ColumnInterner.LIMIT) table.set(key, value);
    else if (this.#hits * 2 < this.#lookups) this.#table = null;
    return value;
  }

  /** Whether interning is still on (false once the column proved mostly unique). */
  get active(): boolean {
    return this.#table !== null;
  }
}

const identity = (s: string) => s;

/** Reads the value of valid cell i. */
type Cell = (i: number) => RowValue;

/** Whether cell i is valid, per the column's validity bitmap (Data.getValid without the per-call getters). */
function validity(data: Data): ((i: number) => boolean) | null {
  if (!(data.nullCount > 0)) return null;
  const bits = data.nullBitmap as Uint8Array | undefined;
  if (bits === undefined || bits.byteLength === 0) return null;
  const offset = data.offset;
  return (i) => ((bits[(offset + i) >> 3] as number) & (1 << ((offset + i) & 7))) !== 0;
}

/** int64 cells as numbers, throwing UnsafeIntegerError beyond ±(2^53 − 1), like `Number(bigint)` after a check. */
function int64Numbers(data: Data, variable: string): Cell {
  const values = data.values as BigInt64Array;
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  return (i) => {
    const lo = halves[2 * i] as number;
    const hi = halves[2 * i + 1] as number;
    if (hi < SAFE_HI && (hi > -SAFE_HI || (hi === -SAFE_HI && lo !== 0))) return hi * TWO_32 + (lo >>> 0);
    throw new UnsafeIntegerError({ variable, value: String(values[i]) });
  };
}

/** int64 cells as decimal strings: through a number where exact (no BigInt allocated), else the BigInt's. */
function int64Strings(values: BigInt64Array): Cell {
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  return (i) => {
    const exact = exactNumber(halves, i);
    return exact === undefined ? String(values[i]) : String(exact);
  };
}

/** Microsecond int64 cells as numbers where exact, else `undefined` for the caller to take the BigInt path. */
function exactNumber(halves: Int32Array, i: number): number | undefined {
  const lo = halves[2 * i] as number;
  const hi = halves[2 * i + 1] as number;
  return hi < SAFE_HI && hi > -SAFE_HI ? hi * TWO_32 + (lo >>> 0) : undefined;
}

/** Writes the values of rows [from, from + count) of a column into out[0…count). */
export type ColumnFiller = (from: number, count: number, out: RowValue[]) => void;

/**
 * The filler of one column (one Arrow `Data`): per-batch work (an ASCII scan, one decode of a string column) is
 * done here once, so that callers can take the rows in slices.
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
  const cell = cellsOf(data, variable, int64, interner);
  const valid = validity(data);
  return (from, count, out) => {
    if (valid === null) for (let k = 0; k < count; k++) out[k] = cell(from + k);
    else for (let k = 0; k < count; k++) out[k] = valid(from + k) ? cell(from + k) : null;
  };
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

/** The reader of one column's valid cells. */
function cellsOf(data: Data, variable: string, int64: Int64Mode, interner: ColumnInterner): Cell {
  const type = data.type as DataType;
  const values = data.values as ArrayLike<number | bigint>;
  switch (type.typeId) {
    case Type.Int: {
      if ((type as Int).bitWidth !== 64) return (i) => values[i] as number;
      if (int64 === 'number' && LITTLE_ENDIAN && (type as Int).isSigned) return int64Numbers(data, variable);
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
    case Type.Float:
      if ((type as Float).precision === 0) {
        const vector = makeVector(data); // float16 needs decoding
        return (i) => vector.get(i) as number;
      }
      return (i) => values[i] as number;
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      const offset = data.offset;
      return (i) => ((bits[(offset + i) >> 3] as number) & (1 << ((offset + i) & 7))) !== 0;
    }
    case Type.Date:
      if ((type as Date_).unit === DateUnit.DAY) return (i) => formatDate(values[i] as number);
      return (i) => formatDate(Math.floor(Number(values[i]) / 86_400_000));
    case Type.Timestamp:
    case Type.Time:
      return temporalCells(data, type as Timestamp | Time);
    case Type.Utf8:
      return utf8Cells(data, interner);
    case Type.Null:
      return () => null;
    default: {
      // Anything the server should not send: apache-arrow's own value.
      const vector = makeVector(data);
      return (i) => vector.get(i) as RowValue;
    }
  }
}

/** Timestamps as 'YYYY-MM-DDTHH:MM:SS.ffffff' and times as 'HH:MM:SS.ffffff', from microseconds. */
function temporalCells(data: Data, type: Timestamp | Time): Cell {
  const isTime = type.typeId === Type.Time;
  const values = data.values as BigInt64Array | Int32Array;
  const slow = isTime
    ? (i: number) => formatTime(TO_MICROS[type.unit](BigInt(values[i] as bigint | number)))
    : (i: number) => formatDateTime(TO_MICROS[type.unit](BigInt(values[i] as bigint | number)));
  if (type.unit !== TimeUnit.MICROSECOND || !(values instanceof BigInt64Array) || !LITTLE_ENDIAN) {
    return slow;
  }
  const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  // Not interned: dateTimes rarely repeat, and times of whole seconds are cached by formatTimeMicros.
  const format = isTime ? formatTimeMicros : formatDateTimeMicros;
  return (i) => {
    const us = exactNumber(halves, i);
    return us === undefined ? slow(i) : format(us);
  };
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

/**
 * Strings of a utf8 column. When the column's bytes are all ASCII (ids, codes, WKT — the common case), they are
 * decoded once as one string and each cell is a substring of it, instead of one TextDecoder call per cell.
 */
function utf8Cells(data: Data, interner: ColumnInterner): Cell {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const start = offsets[0] as number;
  const end = offsets[data.length] as number;
  let ascii = true;
  for (let k = start; k < end; k++) {
    if ((bytes[k] as number) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    const text = latin1.decode(bytes.subarray(start, end));
    const cell = (i: number) =>
      text.slice((offsets[i] as number) - start, (offsets[i + 1] as number) - start);
    return interner.active ? (i) => interner.intern(cell(i), identity) : cell;
  }
  // Offsets count bytes, not UTF-16 units: decode cell by cell.
  const cell = (i: number) => utf8.decode(bytes.subarray(offsets[i] as number, offsets[i + 1] as number));
  return interner.active ? (i) => interner.intern(cell(i), identity) : cell;
}
