import { createTransport } from '@redivis-ts/core';
import fc from 'fast-check';
import {
  Bool,
  DateDay,
  Float64,
  Int32,
  Int64,
  type RecordBatch,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchToColumns,
  batchToRows,
  type Int64Mode,
  listRows,
  toReadStreams,
  toRowIterator,
  UnsafeIntegerError,
} from '../src/index.js';
import { formatDate, formatDateTime, formatTime } from '../src/temporal.js';
import { startArrowServer } from './helpers/arrow-server.js';
import { tableOf, TYPED_VARIABLES, typedTable } from './helpers/fixtures.js';

const TYPED = '/tables/demo.types:v1_0.types';
const SPLIT = '/tables/demo.split:v1_0.split';
const LARGE = '/tables/demo.large:v1_0.large';
const COLLIDE = '/tables/demo.collide:v1_0.collide';
// Two batches: the interner's table carries from one to the next within a read.
const collide = [
  ['Aa', 'Aa', null, 'BB', 'x'],
  ['BB', 'Aa', 'BB', 'BB', null],
];
let server: Awaited<ReturnType<typeof startArrowServer>>;
let client: ReturnType<typeof createTransport>;

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => BigInt(from + i));
const idTable = (from: number, n: number) =>
  tableOf([
    { name: 'id', type: new Int64(), values: ids(from, n) },
    { name: 'label', type: new Utf8(), values: ids(from, n).map((i) => `row ${i % 7n}`) },
  ]);

beforeAll(async () => {
  server = await startArrowServer({
    [TYPED]: { variables: TYPED_VARIABLES, streams: [typedTable()], batchRows: 3 },
    [SPLIT]: {
      variables: [
        { name: 'id', type: 'integer' },
        { name: 'label', type: 'string' },
      ],
      streams: [idTable(0, 50), idTable(50, 30), idTable(80, 45)],
      batchRows: 16,
    },
    // Batches larger than the iterator's 1,024-row slices, with a partial last slice.
    [LARGE]: {
      variables: [
        { name: 'id', type: 'integer' },
        { name: 'label', type: 'string' },
      ],
      streams: [idTable(0, 5000)],
      batchRows: 2500,
    },
    [COLLIDE]: {
      variables: [{ name: 's', type: 'string' }],
      streams: [tableOf([{ name: 's', type: new Utf8(), values: collide.flat() }])],
      batchRows: 5,
    },
  });
  client = createTransport({ baseUrl: server.url });
});
afterAll(() => server.stop());

describe("rowMode 'arrays'", () => {
  it.each<Int64Mode>([
    'bigint',
    'string',
  ])('holds the values of the object rows in variable order (int64 %s)', async (int64) => {
    const objects = await listRows(client, TYPED, { int64 });
    const arrays = await listRows(client, TYPED, { int64, rowMode: 'arrays' });
    expect(arrays).toEqual(objects.map((row) => TYPED_VARIABLES.map((v) => row[v.name])));
    expect(arrays.every(Array.isArray)).toBe(true);
  });

  it('follows the variables selection order', async () => {
    const rows = await listRows(client, TYPED, { variables: ['T', 'id'], rowMode: 'arrays' });
    expect(rows).toEqual([
      ['12:34:56.000001', 1],
      ['00:00:00.000000', 2],
      ['23:59:59.999999', 3],
      [null, 4],
    ]);
  });

  it('rejects an unknown rowMode before any request', async () => {
    const before = server.requests.length;
    await expect(listRows(client, TYPED, { rowMode: 'rows' as never })).rejects.toThrow(RangeError);
    await expect(toRowIterator(client, TYPED, { rowMode: 'maps' as never }).next()).rejects.toThrow(
      RangeError,
    );
    expect(server.requests.length).toBe(before);
  });
});

describe('toRowIterator', () => {
  it('yields the rows listRows returns, in table order with one stream at a time', async () => {
    const listed = await listRows(client, SPLIT);
    const streamed = [];
    for await (const row of toRowIterator(client, SPLIT, { maxParallelization: 1 })) streamed.push(row);
    expect(streamed).toEqual(listed);
    expect(streamed.map((r) => r.id)).toEqual(Array.from({ length: 125 }, (_, i) => i));
  });

  it('takes batches larger than its slices whole, in order', async () => {
    const streamed = [];
    for await (const row of toRowIterator(client, LARGE)) streamed.push(row);
    expect(streamed).toEqual(await listRows(client, LARGE));
    expect(streamed.map((r) => r.id)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('yields every row exactly once across parallel streams, as arrays too', async () => {
    const seen: number[] = [];
    for await (const [id, label] of toRowIterator(client, SPLIT, { rowMode: 'arrays' })) {
      seen.push(id as number);
      expect(label).toBe(`row ${(id as number) % 7}`);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 125 }, (_, i) => i));
  });

  it('stops at maxResults and cancels the streams when the loop breaks', async () => {
    let n = 0;
    for await (const _ of toRowIterator(client, SPLIT, { maxResults: 40 })) n++;
    expect(n).toBe(40);
    const taken = [];
    for await (const row of toRowIterator(client, SPLIT)) {
      taken.push(row);
      if (taken.length === 3) break;
    }
    expect(taken).toHaveLength(3);
  });

  it('is offered by each ReadStream, with rowMode', async () => {
    const streams = await toReadStreams(client, SPLIT, 3);
    const rows = [];
    for (const stream of streams) {
      for await (const row of stream.toRowIterator({ rowMode: 'arrays' })) rows.push(row);
      expect(await stream.listRows({ rowMode: 'arrays' })).toEqual(
        rows.slice(-(await stream.listRows()).length),
      );
    }
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 125 }, (_, i) => i));
  });
});

describe('batchToRows and batchToColumns against a cell-by-cell reference', () => {
  // The reference: apache-arrow's own value per cell, converted like the README's type table says.
  function reference(batch: RecordBatch, int64: Int64Mode) {
    return Array.from({ length: batch.numRows }, (_, i) => {
      const row: Record<string, unknown> = {};
      for (const field of batch.schema.fields) {
        const vector = batch.getChild(field.name)!;
        const data = vector.data[0]!;
        if (!data.getValid(i)) {
          row[field.name] = null;
          continue;
        }
        const raw = data.values[i] as never;
        if (field.type instanceof Int64) {
          const v = raw as bigint;
          if (int64 === 'bigint') row[field.name] = v;
          else if (int64 === 'string') row[field.name] = String(v);
          else row[field.name] = Number(v);
        } else if (field.type instanceof TimestampMicrosecond) row[field.name] = formatDateTime(raw);
        else if (field.type instanceof TimeMicrosecond) row[field.name] = formatTime(raw);
        else if (field.type instanceof DateDay) row[field.name] = formatDate(raw);
        else row[field.name] = vector.get(i);
      }
      return row;
    });
  }

  const int64 = fc.oneof(
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    // Around ±2^53, where numbers stop being exact, and ±2^32, where the low half carries.
    fc.bigInt({ min: -(2n ** 53n) - 3n, max: -(2n ** 53n) + 3n }),
    fc.bigInt({ min: 2n ** 53n - 3n, max: 2n ** 53n + 3n }),
    fc.bigInt({ min: -(2n ** 32n) - 3n, max: 2n ** 32n + 3n }),
  );
  const micros = fc.oneof(
    fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
    fc.bigInt({ min: -(10n ** 16n), max: 3n * 10n ** 17n }),
  );
  const column = <T>(values: fc.Arbitrary<T>) =>
    fc.array(fc.option(values, { freq: 4 }), { minLength: 20, maxLength: 20 });

  it('agrees on every type, int64 mode and slice offset', () => {
    fc.assert(
      fc.property(
        fc.record({
          i: column(int64),
          dt: column(micros),
          t: column(fc.bigInt({ min: 0n, max: 86_399_999_999n })),
          d: column(fc.integer({ min: -800_000, max: 3_000_000 })),
          s: column(fc.oneof(fc.string(), fc.constantFrom('TMAX', 'USW00000001', '', 'Aa', 'BB'))),
          // Non-ASCII (a column of them takes the decoder path), repeated so that interning hits.
          u: column(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('Zürich', '東京', '😀'))),
          f: column(fc.double()),
          b: column(fc.boolean()),
          n: column(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
        }),
        fc.integer({ min: 0, max: 19 }),
        fc.constantFrom<Int64Mode>('number', 'bigint', 'string'),
        (cols, offset, mode) => {
          const isSafe = (v: bigint | null) => v === null || Number.isSafeInteger(Number(v));
          const build = (i: (bigint | null)[]) =>
            tableOf([
              { name: 'i', type: new Int64(), values: i },
              { name: 'dt', type: new TimestampMicrosecond(), values: cols.dt },
              { name: 't', type: new TimeMicrosecond(), values: cols.t },
              { name: 'd', type: new DateDay(), values: cols.d },
              { name: 's', type: new Utf8(), values: cols.s },
              { name: 'u', type: new Utf8(), values: cols.u },
              { name: 'f', type: new Float64(), values: cols.f },
              { name: 'b', type: new Bool(), values: cols.b },
              { name: 'n', type: new Int32(), values: cols.n },
            ]).batches[0]!.slice(offset);
          if (mode === 'number' && cols.i.slice(offset).some((v) => !isSafe(v))) {
            expect(() => batchToRows(build(cols.i), { int64: mode })).toThrow(UnsafeIntegerError);
          }
          // Number mode compares the safe values; the unsafe ones were checked to throw above.
          const batch = build(mode === 'number' ? cols.i.map((v) => (isSafe(v) ? v : null)) : cols.i);
          const expected = reference(batch, mode);
          expect(batchToRows(batch, { int64: mode })).toEqual(expected);
          expect(batchToRows(batch, { int64: mode, rowMode: 'arrays' })).toEqual(
            expected.map((row) => Object.values(row)),
          );
          const names = batch.schema.fields.map((f) => f.name);
          expect(batchToColumns(batch, { int64: mode })).toEqual(
            names.map((name) => expected.map((row) => row[name])),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells apart strings whose bytes hash alike, across batches of one read and once interning stops', async () => {
    // 'Aa' and 'BB' have the same byte hash; the second one a column meets must not come back as the first.
    const rows = await listRows(client, COLLIDE, { maxParallelization: 1 });
    expect(rows.map((r) => r.s)).toEqual(collide.flat());
    // More distinct strings than an interner keeps, then repeats: values stay exact after interning turns off.
    const unique = Array.from({ length: 70_000 }, (_, i) => `id-${i}`);
    const values = [...unique, ...unique.slice(0, 1000), 'Aa', 'BB'];
    const batch = tableOf([{ name: 's', type: new Utf8(), values }]).batches[0]!;
    expect(batchToRows(batch, { rowMode: 'arrays' }).map((r) => r[0])).toEqual(values);
  });

  it('keeps names that cannot be object-literal keys, including __proto__', () => {
    const names = ['a"b', '__proto__', 'line\nbreak', '0', 'ok'];
    const table = tableOf(names.map((name, j) => ({ name, type: new Int32(), values: [j, null] })));
    const [first, second] = batchToRows(table.batches[0]!);
    expect(Object.keys(first!)).toEqual(['0', 'a"b', '__proto__', 'line\nbreak', 'ok']);
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(first).toEqual({ 'a"b': 0, ['__proto__']: 1, 'line\nbreak': 2, '0': 3, ok: 4 });
    expect(Object.values(second!)).toEqual([null, null, null, null, null]);
  });
});
