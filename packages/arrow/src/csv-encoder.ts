import { type Data, type Int, type RecordBatch, Type, type Vector } from 'apache-arrow';
import { batchToColumns } from './rows.js';

/**
 * CSV and TSV written straight into bytes, column by column. The profile of the row-by-row encoder (row objects,
 * one string per field, one concatenation per row, then UTF-8 encoding of the whole text) was dominated by the
 * garbage collector; here string columns are copied from the Arrow buffers as they are, integers are written as
 * digits, and only dates, times and floats go through a string (arrow's cached formatters). One buffer per batch.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const BACKSLASH = 0x5c;
const UTF8 = new TextEncoder();

/**
 * Bytes of one batch being written, allocated once from an upper bound of the batch's text (one big write per
 * batch); `ascii` and `bytes` write without checking, only fields of unknown size `reserve` first.
 */
class Bytes {
  buf: Uint8Array;
  pos = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }
  /** A string known to be ASCII (numbers, ISO dates and times). */
  ascii(s: string): void {
    const { buf } = this;
    let p = this.pos;
    for (let k = 0; k < s.length; k++) buf[p++] = s.charCodeAt(k);
    this.pos = p;
  }
  bytes(src: Uint8Array, from: number, to: number): void {
    const length = to - from;
    const { buf } = this;
    if (length > 64) buf.set(src.subarray(from, to), this.pos);
    else for (let k = from, p = this.pos; k < to; k++) buf[p++] = src[k] as number;
    this.pos += length;
  }
}

/** Writes one valid cell of a column. */
type CellWriter = (out: Bytes, i: number) => void;

/** Whether a byte needs the field quoted (CSV) or escaped (TSV). */
function specialByte(delimiter: number): (b: number) => boolean {
  return delimiter === TAB
    ? (b) => b === TAB || b === LF || b === CR || b === BACKSLASH
    : (b) => b === delimiter || b === QUOTE || b === LF || b === CR;
}

/** A field's bytes quoted (CSV: `"` doubled) or escaped (TSV: `\t`, `\n`, `\r`, `\\`). */
function writeSpecial(out: Bytes, src: Uint8Array, from: number, to: number, tsv: boolean): void {
  out.reserve(2 * (to - from) + 2);
  const { buf } = out;
  let p = out.pos;
  if (!tsv) buf[p++] = QUOTE;
  for (let k = from; k < to; k++) {
    const b = src[k] as number;
    if (tsv && (b === TAB || b === LF || b === CR || b === BACKSLASH)) {
      buf[p++] = BACKSLASH;
      buf[p++] = b === TAB ? 0x74 : b === LF ? 0x6e : b === CR ? 0x72 : BACKSLASH;
    } else {
      if (b === QUOTE && !tsv) buf[p++] = QUOTE;
      buf[p++] = b;
    }
  }
  if (!tsv) buf[p++] = QUOTE;
  out.pos = p;
}

/** The writer of a string column, and an upper bound of the bytes it writes for the whole column. */
function utf8Writer(data: Data, delimiter: number): [CellWriter, number] {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const special = specialByte(delimiter);
  const tsv = delimiter === TAB;
  let any = false;
  for (let k = offsets[0] as number, end = offsets[data.length] as number; k < end && !any; k++) {
    any = special(bytes[k] as number);
  }
  const size = (offsets[data.length] as number) - (offsets[0] as number);
  if (!any) return [(out, i) => out.bytes(bytes, offsets[i] as number, offsets[i + 1] as number), size];
  const writer: CellWriter = (out, i) => {
    const from = offsets[i] as number;
    const to = offsets[i + 1] as number;
    let needs = false;
    for (let k = from; k < to && !needs; k++) needs = special(bytes[k] as number);
    if (needs) writeSpecial(out, bytes, from, to, tsv);
    else out.bytes(bytes, from, to);
  };
  return [writer, 2 * size + 2 * data.length];
}

/** Integers of up to 32 bits as digits, without a string per value. */
function intWriter(values: ArrayLike<number>): CellWriter {
  return (out, i) => {
    let v = values[i] as number;
    if (v === 0) {
      out.buf[out.pos++] = 0x30;
      return;
    }
    const { buf } = out;
    if (v < 0) {
      buf[out.pos++] = 0x2d;
      v = -v;
    }
    let digits = 0;
    for (let t = v; t > 0; t = Math.floor(t / 10)) digits++;
    let p = out.pos + digits;
    out.pos = p;
    for (; v > 0; v = Math.floor(v / 10)) buf[--p] = 0x30 + (v % 10);
  };
}

/** Whether a column is written from its Arrow buffers directly (else from arrow's conversion to strings). */
function isDirect(batch: RecordBatch, j: number): boolean {
  const type = batch.schema.fields[j]?.type;
  return type?.typeId === Type.Utf8 || (type?.typeId === Type.Int && (type as Int).bitWidth <= 32);
}

// Types whose text never holds a delimiter, quote, line break or non-ASCII character.
const ASCII_TYPES = new Set<Type>([Type.Int, Type.Float, Type.Bool, Type.Date, Type.Timestamp, Type.Time]);

// Bytes per cell that bound the text of each type: int32 11, int64 20, a float 24, a datetime 29 (6-digit years).
const CELL_BOUND = 32;

/** A column's cell writer and an upper bound of the bytes it writes (0: unknown, the writer reserves). */
function writerOf(
  batch: RecordBatch,
  j: number,
  delimiter: number,
  values: unknown[] | undefined,
): [CellWriter, number] {
  const type = batch.schema.fields[j]?.type;
  const data = (batch.getChildAt(j) as Vector).data[0] as Data;
  if (values === undefined) {
    return type?.typeId === Type.Utf8
      ? utf8Writer(data, delimiter)
      : [intWriter(data.values as ArrayLike<number>), 11 * data.length];
  }
  if (ASCII_TYPES.has(type?.typeId as Type)) {
    return [(out, i) => out.ascii(String(values[i])), CELL_BOUND * data.length];
  }
  const special = specialByte(delimiter);
  const writer: CellWriter = (out, i) => {
    const text = UTF8.encode(String(values[i]));
    out.reserve(2 * text.length + 2);
    if (text.some(special)) writeSpecial(out, text, 0, text.length, delimiter === TAB);
    else out.bytes(text, 0, text.length);
  };
  return [writer, 0];
}

function validity(data: Data): Uint8Array | null {
  return data.nullCount > 0 && data.nullBitmap && data.nullBitmap.byteLength > 0 ? data.nullBitmap : null;
}

/** Record batches as delimited text, a batch at a time: what {@link csvEncoder} returns. */
export interface CsvEncoder {
  /** The header line: the column names, quoted (CSV) or escaped (TSV) where needed, then `\n`. */
  start(names: readonly string[]): string;
  /** The UTF-8 bytes of one batch's rows, one line each, each ended by `\n`. */
  batch(batch: RecordBatch): Uint8Array;
  /** Text after the last row (none: CSV has no trailer; there for writers that handle several formats alike). */
  end(): string;
}

/**
 * Record batches as RFC 4180 CSV (fields quoted only where needed, `"` doubled, `\n` line ends, null an empty
 * field) or, with a tab, TSV (tab, newline, carriage return and backslash escaped as `\t` `\n` `\r` `\\`). Values
 * are the text of `listRows` values: integers exact (all 64 bits), floats as JavaScript prints them (`NaN`,
 * `Infinity`), booleans `true`/`false`, dates `YYYY-MM-DD`, datetimes `YYYY-MM-DDTHH:MM:SS.ffffff` (no zone),
 * times `HH:MM:SS.ffffff`, geography its WKT (quoted, since WKT holds commas). Written column by column straight
 * into one buffer per batch: the `redivis read --format csv` command and `toArrowDataset` of `@redivis-ts/node`
 * share this encoder.
 *
 * @param delimiter - The field separator, one ASCII character: `,` (CSV, the default), `\t` (TSV), `;`, `|`…
 * @throws RangeError when `delimiter` is not one ASCII character other than `"`, `\r`, `\n` or `\\`.
 *
 * @example
 * ```ts
 * const encoder = csvEncoder();
 * let text = encoder.start(batch.schema.fields.map((f) => f.name));
 * text += new TextDecoder().decode(encoder.batch(batch));
 * ```
 */
export function csvEncoder(delimiter = ','): CsvEncoder {
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || '"\r\n\\'.includes(delimiter)) {
    throw new RangeError('A CSV delimiter is one ASCII character other than a quote, line end or backslash');
  }
  const sep = delimiter.charCodeAt(0);
  const header = (name: string): string => {
    const text = UTF8.encode(name);
    if (!text.some(specialByte(sep))) return name;
    const out = new Bytes(2 * text.length + 2);
    writeSpecial(out, text, 0, text.length, sep === TAB);
    return new TextDecoder().decode(out.buf.subarray(0, out.pos));
  };
  return {
    start: (names) => `${names.map(header).join(delimiter)}\n`,
    batch(batch) {
      const n = batch.numRows;
      const count = batch.numCols;
      // Columns not written from their buffers go through arrow's conversion, only those columns.
      const converted = Array.from({ length: count }, (_, j) => j).filter((j) => !isDirect(batch, j));
      const strings = converted.length ? batchToColumns(batch.selectAt(converted), { int64: 'string' }) : [];
      const made = Array.from({ length: count }, (_, j) => {
        const at = converted.indexOf(j);
        return writerOf(batch, j, sep, at < 0 ? undefined : strings[at]);
      });
      const writers = made.map(([writer]) => writer);
      const datas = Array.from({ length: count }, (_, j) => (batch.getChildAt(j) as Vector).data[0] as Data);
      const bitmaps = datas.map(validity);
      const offsets = datas.map((d) => d.offset);
      // Delimiters and line ends, plus each column's bound.
      const out = new Bytes(made.reduce((total, [, bound]) => total + bound, (count + 1) * n));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < count; j++) {
          if (j > 0) out.buf[out.pos++] = sep;
          const bits = bitmaps[j];
          const at = (offsets[j] as number) + i;
          if (bits && ((bits[at >> 3] as number) & (1 << (at & 7))) === 0) continue;
          (writers[j] as CellWriter)(out, i);
        }
        out.buf[out.pos++] = LF;
      }
      return out.buf.subarray(0, out.pos);
    },
    end: () => '',
  };
}
