import type { Data } from 'apache-arrow';
import type { RowValue } from './types.js';

/** Writes the values of rows [from, from + count) of a column into out[0…count). */
export type ColumnFiller = (from: number, count: number, out: RowValue[]) => void;

/**
 * Per-read memory of one string column: repeated strings are handed out as one shared string (a read keeps one copy
 * of each station id instead of one per row). ASCII cells are looked up by a hash of their bytes, so a repeated
 * value costs no allocation at all; other cells by their decoded text. A column whose values rarely repeat stops
 * interning once its table is full, so unique columns pay for a bounded number of lookups.
 */
export class ColumnInterner {
  static readonly LIMIT = 65_536;
  #byHash: Map<number, string> | null = new Map();
  #byText: Map<string, string> | null = new Map();
  #lookups = 0;
  #hits = 0;

  /** Whether interning is still on (false once the column proved mostly unique). */
  get active(): boolean {
    return this.#byHash !== null;
  }

  /** The string remembered under this byte hash, if any (the caller checks that its bytes match). */
  find(hash: number): string | undefined {
    this.#lookups++;
    return this.#byHash?.get(hash);
  }

  /** Counts a lookup whose string matched. */
  hit(): void {
    this.#hits++;
  }

  /** Remembers `value` under `hash` (while there is room; stops interning once full and mostly missing). */
  remember(hash: number, value: string): void {
    const table = this.#byHash;
    if (table === null) return;
    if (table.size < ColumnInterner.LIMIT) table.set(hash, value);
    else if (this.#hits * 2 < this.#lookups) this.#stop();
  }

  /** The shared string equal to `text` (for cells that are not ASCII). */
  intern(text: string): string {
    const table = this.#byText;
    if (table === null) return text;
    this.#lookups++;
    const hit = table.get(text);
    if (hit !== undefined) {
      this.#hits++;
      return hit;
    }
    if (table.size < ColumnInterner.LIMIT) table.set(text, text);
    else if (this.#hits * 2 < this.#lookups) this.#stop();
    return text;
  }

  #stop(): void {
    this.#byHash = null;
    this.#byText = null;
  }
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

/**
 * The filler of a utf8 column. When the column's bytes are all ASCII (ids, codes, WKT — the common case), a cell
 * whose bytes hash to a remembered string of the same bytes is that string, compared in place without decoding;
 * other cells are substrings of the column decoded once, instead of one TextDecoder call per cell.
 */
export function stringFiller(data: Data, interner: ColumnInterner): ColumnFiller {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const base = offsets[0] as number;
  const end = offsets[data.length] as number;
  const bits = validityBits(data);
  const bitOffset = data.offset;
  if (!isAscii(bytes, base, end)) {
    // Offsets count bytes, not UTF-16 units: decode cell by cell.
    return (from, count, out) => {
      for (let k = 0; k < count; k++) {
        const i = from + k;
        if (bits !== null && ((bits[(bitOffset + i) >> 3] as number) & (1 << ((bitOffset + i) & 7))) === 0) {
          out[k] = null;
          continue;
        }
        const text = utf8.decode(bytes.subarray(offsets[i] as number, offsets[i + 1] as number));
        out[k] = interner.intern(text);
      }
    };
  }
  let text: string | undefined;
  return (from, count, out) => {
    for (let k = 0; k < count; k++) {
      const i = from + k;
      if (bits !== null && ((bits[(bitOffset + i) >> 3] as number) & (1 << ((bitOffset + i) & 7))) === 0) {
        out[k] = null;
        continue;
      }
      const s = offsets[i] as number;
      const e = offsets[i + 1] as number;
      if (!interner.active) {
        text ??= latin1.decode(bytes.subarray(base, end));
        out[k] = text.slice(s - base, e - base);
        continue;
      }
      // Java's string hash over the bytes, kept to 30 bits so that the keys stay small integers.
      let hash = e - s;
      for (let p = s; p < e; p++) hash = (Math.imul(hash, 31) + (bytes[p] as number)) | 0;
      hash &= 0x3fff_ffff;
      const known = interner.find(hash);
      if (known !== undefined && sameAscii(known, bytes, s, e)) {
        interner.hit();
        out[k] = known;
        continue;
      }
      text ??= latin1.decode(bytes.subarray(base, end));
      const value = text.slice(s - base, e - base);
      // A different string under the same hash keeps the table's (collisions are rare; no chains).
      if (known === undefined) interner.remember(hash, value);
      out[k] = value;
    }
  };
}

/** The validity bitmap when the column has nulls, else `null` (every cell valid). */
export function validityBits(data: Data): Uint8Array | null {
  if (!(data.nullCount > 0)) return null;
  const bits = data.nullBitmap as Uint8Array | undefined;
  return bits === undefined || bits.byteLength === 0 ? null : bits;
}

function isAscii(bytes: Uint8Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if ((bytes[k] as number) > 0x7f) return false;
  return true;
}

function sameAscii(text: string, bytes: Uint8Array, from: number, to: number): boolean {
  if (text.length !== to - from) return false;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) !== bytes[from + k]) return false;
  return true;
}
