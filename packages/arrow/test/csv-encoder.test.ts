import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchToRows, csvEncoder } from '../src/index.js';

type Column = { name: string; type: DataType; values: unknown[] };

function dataOf(type: DataType, values: unknown[]) {
  if (type instanceof Utf8 || type instanceof Bool || type instanceof Float64) {
    return vectorFromArray(values as never[], type).data[0]!;
  }
  const nullBitmap = new Uint8Array((values.length + 7) >> 3);
  const data =
    type instanceof Int32 || type instanceof DateDay
      ? new Int32Array(values.length)
      : new BigInt64Array(values.length);
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else {
      nullBitmap[i >> 3]! |= 1 << (i & 7);
      data[i] = v as never;
    }
  });
  return makeData({ type, length: values.length, nullCount, nullBitmap, data } as never);
}

function batchOf(columns: Column[]): RecordBatch {
  const fields = columns.map((c) => new Field(c.name, c.type, true));
  const schema = new Schema(fields);
  const length = columns[0]?.values.length ?? 0;
  const children = columns.map((c) => dataOf(c.type, c.values));
  return new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}

// The reference: the row-by-row encoder the byte encoder replaced, value by value from batchToRows.
function reference(batch: RecordBatch, delimiter: string): string {
  const field = (value: unknown) => {
    if (value === null || value === undefined) return '';
    const text = String(value);
    if (delimiter === '\t') {
      return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    }
    return /["\n\r]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return batchToRows(batch, { int64: 'string', rowMode: 'arrays' })
    .map((row) => `${row.map(field).join(delimiter)}\n`)
    .join('');
}

function encode(batch: RecordBatch, delimiter: string): string {
  return new TextDecoder().decode(csvEncoder(delimiter).batch(batch));
}

describe('csvEncoder (bytes, column by column)', () => {
  const column = <T>(values: fc.Arbitrary<T>, length: number) =>
    fc.array(fc.option(values, { freq: 4 }), { minLength: length, maxLength: length });
  const text = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', 'tab\there', 'back\\slash', 'é😀'),
    fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\t', '\\', '\r', 'é') }),
  );

  it('writes what the row-by-row encoder wrote, for every type, null, slice offset and delimiter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            s: column(text, n),
            i: column(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), n),
            big: column(
              fc.oneof(
                fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
                fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }),
              ),
              n,
            ),
            f: column(fc.double(), n),
            b: column(fc.boolean(), n),
            d: column(fc.integer({ min: -800_000, max: 3_000_000 }), n),
            ts: column(fc.bigInt({ min: -(10n ** 16n), max: 3n * 10n ** 17n }), n),
            t: column(fc.bigInt({ min: 0n, max: 86_399_999_999n }), n),
            offset: fc.integer({ min: 0, max: n - 1 }),
          }),
        ),
        fc.constantFrom(',', '\t', ';'),
        (cols, delimiter) => {
          const batch = batchOf([
            { name: 's', type: new Utf8(), values: cols.s },
            { name: 'i', type: new Int32(), values: cols.i },
            { name: 'big', type: new Int64(), values: cols.big },
            { name: 'f', type: new Float64(), values: cols.f },
            { name: 'b', type: new Bool(), values: cols.b },
            { name: 'd', type: new DateDay(), values: cols.d },
            { name: 'ts', type: new TimestampMicrosecond(), values: cols.ts },
            { name: 't', type: new TimeMicrosecond(), values: cols.t },
          ]).slice(cols.offset);
          expect(encode(batch, delimiter)).toBe(reference(batch, delimiter));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('quotes a header only where needed', () => {
    expect(csvEncoder(',').start(['id', 'a,b', 'say "x"'])).toBe('id,"a,b","say ""x"""\n');
    expect(csvEncoder('\t').start(['a\tb', 'c'])).toBe('a\\tb\tc\n');
  });

  it('refuses a delimiter that is not one ASCII character a field can be told apart from', () => {
    for (const bad of ['', ',,', '"', '\n', '\r', '\\', 'é'])
      expect(() => csvEncoder(bad), bad).toThrow(RangeError);
    expect(csvEncoder('|').start(['a|b', 'c'])).toBe('"a|b"|c\n');
  });
});
