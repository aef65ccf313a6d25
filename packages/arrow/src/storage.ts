import { type Data, type DataType, type Int, makeData } from 'apache-arrow';

/** A fixed-width value buffer (Int32Array, BigInt64Array, Float64Array, …) seen as plain indexable storage. */
export interface Storage {
  [index: number]: number | bigint;
  readonly length: number;
}

/**
 * Allocates the value buffer of a fixed-width type (bit-packed bytes for booleans).
 *
 * @param type - A fixed-width Arrow type.
 * @param length - Number of values.
 */
export function allocate(type: DataType, length: number, bitPacked = false): Storage {
  if (bitPacked) return new Uint8Array((length + 7) >> 3);
  return new (type.ArrayType as unknown as new (n: number) => Storage)(length);
}

/**
 * Wraps raw buffers as column data of a fixed-width type. makeData's overloads are per concrete type; the
 * buffers built here always match `type`, so one cast stands for all of them.
 */
export function fixedWidthData(
  type: DataType,
  length: number,
  nullCount: number,
  nullBitmap: Uint8Array,
  values: Storage,
): Data {
  return makeData({
    type: type as Int,
    length,
    nullCount,
    nullBitmap,
    data: values as unknown as Int['TArray'],
  }) as unknown as Data;
}
