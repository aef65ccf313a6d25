import {
  type Data,
  type DataType,
  makeVector,
  type Time,
  type Timestamp,
  TimeUnit,
  Type,
  Utf8,
  util,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { SchemaMismatchError } from './errors.js';
import { ColumnInterner, columnValues } from './column-values.js';
import { allocate, fixedWidthData } from './storage.js';
import { parseDate, parseDateTime, parseTime } from './temporal.js';
import type { RowValue } from './types.js';

const DAY_MS = 86_400_000;
const DAY_US = 86_400_000_000n;
const UNIT_TO_MICROS: Record<TimeUnit, (v: bigint) => bigint> = {
  [TimeUnit.SECOND]: (v) => v * 1_000_000n,
  [TimeUnit.MILLISECOND]: (v) => v * 1_000n,
  [TimeUnit.MICROSECOND]: (v) => v,
  [TimeUnit.NANOSECOND]: (v) => v / 1_000n,
};

type Cell = (i: number) => unknown;

/**
 * Converts a column a stream sent with one Arrow type into the type its variable calls for (dataset tables may
 * stream storage types, e.g. strings). Returns the same data when the types already agree.
 *
 * @param data - The streamed column.
 * @param target - The Arrow type derived from the variable's Redivis type.
 * @param variable - The variable name, for error messages.
 */
export function coerceData(data: Data, target: DataType, variable: string): Data {
  if (sameType(data.type, target)) return data;
  const vector = makeVector(data);
  if (target.typeId === Type.Utf8) {
    const values: RowValue[] = new Array(data.length);
    columnValues(data, variable, 'string', new ColumnInterner(), values);
    const strings = values.map((v) => (v === null ? null : String(v)));
    return vectorFromArray(strings, new Utf8()).data[0]!;
  }
  const convert = converterTo(target, vector, variable);
  const fail = (i: number): never => {
    throw new SchemaMismatchError({
      variable,
      description: `Variable "${variable}": cannot convert ${String(vector.get(i))} (${data.type}) to ${target}`,
    });
  };
  const bitmap = new Uint8Array((data.length + 7) >> 3);
  let nullCount = 0;
  const isBool = target.typeId === Type.Bool;
  const values = allocate(target, data.length, isBool);
  for (let i = 0; i < data.length; i++) {
    if (!data.getValid(i)) {
      nullCount++;
      continue;
    }
    const v = convert(i);
    if (v === undefined) fail(i);
    bitmap[i >> 3]! |= 1 << (i & 7);
    if (isBool) {
      if (v) (values as Uint8Array)[i >> 3]! |= 1 << (i & 7);
    } else values[i] = v as number | bigint;
  }
  return fixedWidthData(target, data.length, nullCount, bitmap, values);
}

/** Returns a function giving the target's raw storage value for row i, or `undefined` when it cannot convert. */
function converterTo(target: DataType, vector: Vector, variable: string): Cell {
  const src = vector.type as DataType;
  const raw = vector.data[0]!.values as ArrayLike<number | bigint>;
  const get: Cell = (i) => vector.get(i);
  const text = (i: number) => String(vector.get(i));
  const micros = (i: number): bigint | undefined => {
    if (src.typeId === Type.Timestamp || src.typeId === Type.Time)
      return UNIT_TO_MICROS[(src as Timestamp | Time).unit](BigInt(raw[i]!));
    if (src.typeId === Type.Date) return BigInt(Math.floor((vector.get(i) as number) / DAY_MS)) * DAY_US;
    return undefined;
  };
  switch (target.typeId) {
    case Type.Int:
      return (i) => {
        const v = get(i);
        if (typeof v === 'bigint') return v;
        if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
        if (typeof v === 'boolean') return v ? 1n : 0n;
        return /^\s*[+-]?\d+\s*$/.test(text(i)) ? BigInt(text(i).trim()) : undefined;
      };
    case Type.Float:
      return (i) => {
        const v = get(i);
        if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return Number(v);
        const n = Number(text(i));
        return Number.isNaN(n) && !/^\s*nan\s*$/i.test(text(i)) ? undefined : n;
      };
    case Type.Bool:
      return (i) => {
        const v = get(i);
        if (typeof v === 'boolean') return v;
        if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
        const t = text(i).trim().toLowerCase();
        return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : undefined;
      };
    case Type.Date:
      return (i) => {
        if (src.typeId === Type.Utf8 || src.typeId === Type.LargeUtf8) return parseDate(text(i));
        const us = micros(i);
        return us === undefined ? undefined : Number(floorDiv(us, DAY_US));
      };
    case Type.Timestamp:
    case Type.Time:
      return (i) => {
        if (src.typeId === Type.Utf8 || src.typeId === Type.LargeUtf8)
          return target.typeId === Type.Time ? parseTime(text(i)) : parseDateTime(text(i));
        if (target.typeId === Type.Time && src.typeId !== Type.Time) return undefined;
        return micros(i);
      };
    default:
      throw new SchemaMismatchError({
        variable,
        description: `Variable "${variable}": no conversion from ${src} to ${target}`,
      });
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/**
 * Whether two Arrow types are the same. Unlike `util.compareTypes` (a type guard, and strict about it), a
 * timestamp without a time zone matches whether the zone is `null` (as decoded from IPC) or `undefined` (as built).
 */
export function sameType(a: DataType, b: DataType): boolean {
  if (a.typeId === Type.Timestamp && b.typeId === Type.Timestamp) {
    const [x, y] = [a as Timestamp, b as Timestamp];
    return x.unit === y.unit && (x.timezone ?? null) === (y.timezone ?? null);
  }
  return util.compareTypes(a, b);
}
