import bindings from '@duckdb/node-bindings';
import type { ColumnBuffers } from './ipc.js';
import type { RawColumn } from './raw-column.js';
import { VARIABLE_TYPE_FACTS, type VariableType } from '@redivis-ts/core';

/**
 * Accumulates rows of one column, copied from DuckDB's flat vector memory ({@link RawColumn}) into Arrow buffers.
 * Builders are reused batch after batch (reset, not reallocated), so a stream allocates its buffers once.
 *
 * Reading raw vector memory through @duckdb/node-bindings (rather than node-api's per-value getters) is what keeps the
 * copy columnar: fixed-width columns are a single memcpy, strings one pass over DuckDB's 16-byte string structs.
 */
export interface ColumnBuilder {
  /** Appends rows [from, from + count) of a copied DuckDB vector at the builder's current length. */
  append(raw: RawColumn, from: number, count: number): void;
  /** The accumulated rows as Arrow buffers; valid until the next append or reset. */
  finish(): ColumnBuffers;
  /** Empties the builder, keeping its buffers. */
  reset(): void;
}

const EMPTY = new Uint8Array(0);

/** Set bits per byte value. */
const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let n = 0;
  for (let v = b; v > 0; v >>= 1) n += v & 1;
  return n;
});

/** Arrow validity bitmap plus null count, filled from DuckDB's validity mask (same LSB-first bit order). */
class Validity {
  bits: Uint8Array;
  nullCount = 0;
  length = 0;

  constructor(capacity: number) {
    this.bits = new Uint8Array(Math.ceil(capacity / 8));
  }

  /** Appends validity for rows [from, from+count); returns DuckDB's mask (null when every row is valid). */
  append(raw: RawColumn, from: number, count: number): Uint8Array | null {
    const end = from + count;
    const mask = raw.validity;
    const bits = this.bits;
    let dst = this.length;
    this.length += count;
    if (!mask) {
      setBitRange(bits, dst, count);
      return null;
    }
    let row = from;
    if ((row & 7) === 0 && (dst & 7) === 0) {
      // Both sides byte-aligned (the usual case: DuckDB chunks are 2048 rows, batches multiples of 8): copy whole
      // bytes and count their nulls by table instead of bit by bit.
      const wholeEnd = from + (count & ~7);
      let nulls = 0;
      for (; row < wholeEnd; row += 8, dst += 8) {
        const byte = mask[row >> 3] as number;
        bits[dst >> 3] = byte;
        nulls += 8 - (POPCOUNT[byte] as number);
      }
      this.nullCount += nulls;
    }
    for (; row < end; row++, dst++) {
      if ((mask[row >> 3] as number) & (1 << (row & 7))) {
        bits[dst >> 3] = (bits[dst >> 3] as number) | (1 << (dst & 7));
      } else {
        bits[dst >> 3] = (bits[dst >> 3] as number) & ~(1 << (dst & 7));
        this.nullCount++;
      }
    }
    return mask;
  }

  reset(): void {
    this.nullCount = 0;
    this.length = 0;
  }

  /** The bitmap to hand to Arrow: empty when there are no nulls (Arrow then omits it). */
  bitmap(): Uint8Array {
    if (this.nullCount === 0) return EMPTY;
    clearTail(this.bits, this.length);
    return this.bits.subarray(0, Math.ceil(this.length / 8));
  }
}

/**
 * Zeroes the bits past `length` in the last byte: builders are reused, and a shorter batch would otherwise carry bits
 * of the previous one there (apache-arrow's writer leaves them 0).
 */
function clearTail(bits: Uint8Array, length: number): void {
  if ((length & 7) !== 0) bits[length >> 3] = (bits[length >> 3] as number) & ((1 << (length & 7)) - 1);
}

/** Sets bits [start, start+count) to 1, a byte at a time where aligned. */
function setBitRange(bits: Uint8Array, start: number, count: number): void {
  let i = start;
  const end = start + count;
  for (; i < end && (i & 7) !== 0; i++) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  const fullEnd = end & ~7;
  if (i < fullEnd) {
    bits.fill(0xff, i >> 3, fullEnd >> 3);
    i = fullEnd;
  }
  for (; i < end; i++) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
}

/** int64, float64, date32, timestamp[us] and time64[us]: DuckDB's layout already is Arrow's. */
class FixedWidthBuilder implements ColumnBuilder {
  private readonly values: Uint8Array;
  private readonly validity: Validity;

  constructor(
    private readonly width: number,
    capacity: number,
  ) {
    this.values = new Uint8Array(capacity * width);
    this.validity = new Validity(capacity);
  }

  append(raw: RawColumn, from: number, count: number): void {
    const dst = this.validity.length;
    const width = this.width;
    this.values.set(raw.data.subarray(from * width, (from + count) * width), dst * width);
    const mask = this.validity.append(raw, from, count);
    // DuckDB leaves whatever was in memory in a null row's slot; zero it (as apache-arrow writes nulls), so the bytes
    // depend only on the values, not on the query run that produced them.
    if (mask === null) return;
    const end = from + count;
    for (let row = from; row < end; row++) {
      if ((row & 7) === 0 && mask[row >> 3] === 0xff && row + 8 <= end) {
        row += 7;
        continue;
      }
      if (((mask[row >> 3] as number) & (1 << (row & 7))) === 0) {
        const at = (dst + row - from) * width;
        this.values.fill(0, at, at + width);
      }
    }
  }

  finish(): ColumnBuffers {
    const { length, nullCount } = this.validity;
    return {
      length,
      nullCount,
      buffers: [this.validity.bitmap(), this.values.subarray(0, length * this.width)],
    };
  }

  reset(): void {
    this.validity.reset();
  }
}

/** bool: DuckDB stores one byte per value, Arrow one bit. */
class BoolBuilder implements ColumnBuilder {
  private readonly values: Uint8Array;
  private readonly validity: Validity;

  constructor(capacity: number) {
    this.values = new Uint8Array(Math.ceil(capacity / 8));
    this.validity = new Validity(capacity);
  }

  append(raw: RawColumn, from: number, count: number): void {
    let dst = this.validity.length;
    const data = raw.data;
    const mask = this.validity.append(raw, from, count);
    for (let row = from; row < from + count; row++, dst++) {
      const byte = dst >> 3;
      const bit = 1 << (dst & 7);
      // A null row's byte is left over memory: its bit is written as 0.
      const set = data[row] && (mask === null || ((mask[row >> 3] as number) & (1 << (row & 7))) !== 0);
      this.values[byte] = set ? (this.values[byte] as number) | bit : (this.values[byte] as number) & ~bit;
    }
  }

  finish(): ColumnBuffers {
    const { length, nullCount } = this.validity;
    // An all-null bool column has an empty values buffer, as apache-arrow's writer emits it.
    clearTail(this.values, length);
    const values = nullCount >= length ? EMPTY : this.values.subarray(0, Math.ceil(length / 8));
    return { length, nullCount, buffers: [this.validity.bitmap(), values] };
  }

  reset(): void {
    this.validity.reset();
  }
}

/** utf8 (strings and WKT geography) from DuckDB's string_t: 4-byte length, then 12 inline bytes or prefix + pointer. */
class Utf8Builder implements ColumnBuilder {
  private readonly offsets: Int32Array;
  private bytes: Uint8Array = new Uint8Array(64 * 1024);
  private readonly validity: Validity;

  constructor(capacity: number) {
    this.offsets = new Int32Array(capacity + 1);
    this.validity = new Validity(capacity);
  }

  append(raw: RawColumn, from: number, count: number): void {
    let dst = this.validity.length;
    const mask = this.validity.append(raw, from, count);
    const data = raw.data;
    const offsets = this.offsets;
    let bytes = this.bytes;
    let out = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let end = offsets[dst] as number;
    // Strings over 12 bytes live elsewhere in DuckDB's memory, usually back to back: a run of adjacent ones is copied
    // with one native call instead of one per value (each call makes a Buffer).
    let runAt = -1;
    let runPointer = 0;
    let runLength = 0;
    let runDst = 0;
    const endRow = from + count;
    for (let row = from; row < endRow; row++, dst++) {
      // Null rows may hold garbage string structs (dangling pointers): never read them.
      if (mask !== null && ((mask[row >> 3] as number) & (1 << (row & 7))) === 0) {
        offsets[dst + 1] = end;
        continue;
      }
      const at = row << 4;
      const length = view.getUint32(at, true);
      if (length === 0) {
        offsets[dst + 1] = end;
        continue;
      }
      // Room for 12 bytes even for a shorter inline string: its bytes are copied as three 4-byte words.
      if (end + 12 > bytes.length || end + length > bytes.length) {
        bytes = this.grow(end, end + Math.max(length, 12));
        out = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      if (length <= 12) {
        if (runAt >= 0) {
          this.copyRun(data, runAt, runLength, runDst);
          runAt = -1;
        }
        // Inline bytes, as whole words: no subarray per value (each allocates). Bytes copied past the string's end
        // are overwritten by the next string or lie past the last offset, outside the Arrow buffer.
        out.setUint32(end, view.getUint32(at + 4, true), true);
        if (length > 4) out.setUint32(end + 4, view.getUint32(at + 8, true), true);
        if (length > 8) out.setUint32(end + 8, view.getUint32(at + 12, true), true);
      } else {
        const pointer = view.getUint32(at + 8, true) + view.getUint32(at + 12, true) * 0x1_0000_0000;
        if (runAt >= 0 && pointer === runPointer + runLength) {
          runLength += length;
        } else {
          if (runAt >= 0) this.copyRun(data, runAt, runLength, runDst);
          runAt = at;
          runPointer = pointer;
          runLength = length;
          runDst = end;
        }
      }
      end += length;
      offsets[dst + 1] = end;
    }
    if (runAt >= 0) this.copyRun(data, runAt, runLength, runDst);
  }

  /**
   * Copies `length` bytes starting at the string pointer of the struct at `at` (adjacent strings span the run). The
   * pointer is into the DuckDB chunk's own memory, which the caller keeps alive until the batch is encoded.
   */
  private copyRun(data: Uint8Array, at: number, length: number, dst: number): void {
    this.bytes.set(
      bindings.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + at + 8, length),
      dst,
    );
  }

  private grow(used: number, needed: number): Uint8Array {
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, used));
    this.bytes = next;
    return next;
  }

  finish(): ColumnBuffers {
    const { length, nullCount } = this.validity;
    const offsets = this.offsets.subarray(0, length + 1);
    return {
      length,
      nullCount,
      buffers: [
        this.validity.bitmap(),
        new Uint8Array(offsets.buffer, offsets.byteOffset, offsets.byteLength),
        this.bytes.subarray(0, this.offsets[length] as number),
      ],
    };
  }

  reset(): void {
    this.validity.reset();
    this.offsets[0] = 0;
  }
}

/** Bytes per row of a column's DuckDB vector data: the value width, one byte per bool, a 16-byte string struct. */
export function storageWidth(type: VariableType): number {
  switch (VARIABLE_TYPE_FACTS[type].arrow) {
    case 'int64':
    case 'float64':
    case 'timestamp[us]':
    case 'time64[us]':
      return 8;
    case 'date32[day]':
      return 4;
    case 'bool':
      return 1;
    case 'string':
      return 16;
  }
}

/** The builder for a column of the given Redivis type (its Arrow layout from core's facts), holding up to `capacity` rows per batch. */
export function createColumnBuilder(type: VariableType, capacity: number): ColumnBuilder {
  switch (VARIABLE_TYPE_FACTS[type].arrow) {
    case 'int64':
    case 'float64':
    case 'timestamp[us]':
    case 'time64[us]':
      return new FixedWidthBuilder(8, capacity);
    case 'date32[day]':
      return new FixedWidthBuilder(4, capacity);
    case 'bool':
      return new BoolBuilder(capacity);
    case 'string':
      return new Utf8Builder(capacity);
  }
}
