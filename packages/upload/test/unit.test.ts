import {
  Bool,
  DateDay,
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  tableFromArrays,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import {
  committedFromRange,
  iterableSource,
  rowJson,
  toParquet,
  toUploadSource,
  UploadUsageError,
} from '../src/index.js';

async function readParquet(bytes: Uint8Array) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return parquetReadObjects({ file, utf8: true });
}

describe('toParquet', () => {
  it('keeps int64 beyond 2^53, doubles, booleans, strings, dates, µs timestamps and nulls exactly', async () => {
    const big = 9_007_199_254_740_993n;
    const table = new Table({
      id: vectorFromArray([big, -5n, null], new Int64()),
      small: vectorFromArray([1, 2, null], new Int32()),
      x: vectorFromArray([1.5, null, -0.25], new Float64()),
      ok: vectorFromArray([true, false, null], new Bool()),
      s: vectorFromArray(['a', null, 'é'], new Utf8()),
      d: vectorFromArray(
        [new Date(Date.UTC(2020, 1, 29)), null, new Date(Date.UTC(1969, 11, 31))],
        new DateDay(),
      ),
      // Raw microseconds (the builder would take milliseconds and lose the last three digits).
      t: makeVector(
        makeData({
          type: new TimestampMicrosecond(),
          length: 3,
          nullCount: 1,
          data: BigInt64Array.from([1_600_000_000_123_456n, 0n, 0n]),
          nullBitmap: Uint8Array.from([0b101]),
        }),
      ),
    });
    const rows = await readParquet(toParquet(table));
    expect(rows).toHaveLength(3);
    expect(rows[0]?.id).toBe(big);
    expect(rows[1]?.id).toBe(-5n);
    expect(rows[2]?.id).toBeNull();
    expect(rows.map((r) => r.small)).toEqual([1n, 2n, null]);
    expect(rows.map((r) => r.x)).toEqual([1.5, null, -0.25]);
    expect(rows.map((r) => r.ok)).toEqual([true, false, null]);
    expect(rows.map((r) => r.s)).toEqual(['a', null, 'é']);
    expect((rows[0]?.d as Date).toISOString()).toBe('2020-02-29T00:00:00.000Z');
    expect(rows[1]?.d).toBeNull();
    expect((rows[2]?.d as Date).toISOString()).toBe('1969-12-31T00:00:00.000Z');
    expect(rows[2]?.t).toEqual(new Date(0));
    expect(rows[0]?.t).toEqual(new Date(1_600_000_000_123));
    expect(rows[1]?.t).toBeNull();
  });

  it('infers column types from row objects and refuses mixed columns', async () => {
    const rows = await readParquet(
      toParquet([
        { n: 1, f: 1, s: 'x', b: true, at: new Date(Date.UTC(2021, 0, 1, 12)) },
        { n: 2n ** 62n, f: 2.5, s: null, b: null, at: null },
      ]),
    );
    expect(rows.map((r) => r.n)).toEqual([1n, 2n ** 62n]);
    expect(rows.map((r) => r.f)).toEqual([1, 2.5]);
    expect(rows.map((r) => r.s)).toEqual(['x', null]);
    expect((rows[0]?.at as Date).toISOString()).toBe('2021-01-01T12:00:00.000Z');
    expect(() => toParquet([{ a: 1 }, { a: 'x' }])).toThrow(UploadUsageError);
    expect(() => toParquet([{ a: {} }] as never)).toThrow(UploadUsageError);
  });

  it('copies null-free int64, float64, date and µs columns from their buffers, over several batches', async () => {
    const micros = BigInt64Array.from([1_600_000_000_123_456n, -1_000n, 0n, 86_399_999_999n]);
    const table = new Table({
      n: vectorFromArray([-(2n ** 63n), 2n ** 63n - 1n, 3n, 4n], new Int64()),
      f: vectorFromArray([0.5, -1, Number.NaN, 4], new Float64()),
      d: makeVector(makeData({ type: new DateDay(), length: 4, data: Int32Array.from([0, -1, 18_000, 3]) })),
      t: makeVector(makeData({ type: new TimestampMicrosecond(), length: 4, data: micros })),
    });
    // Two batches, the second sliced: the typed arrays are joined from each chunk's own rows.
    const rows = await readParquet(toParquet([...table.slice(0, 1).batches, ...table.slice(1).batches]));
    expect(rows.map((r) => r.n)).toEqual([-(2n ** 63n), 2n ** 63n - 1n, 3n, 4n]);
    expect(rows.map((r) => r.f)).toEqual([0.5, -1, Number.NaN, 4]);
    expect(rows.map((r) => (r.d as Date).toISOString().slice(0, 10))).toEqual([
      '1970-01-01',
      '1969-12-31',
      '2019-04-14',
      '1970-01-04',
    ]);
    expect(rows.map((r) => (r.t as Date).getTime())).toEqual([1_600_000_000_123, -1, 0, 86_399_999]);
  });

  it('reads sliced vectors and dictionary-encoded strings from their buffers, nulls kept', async () => {
    const table = new Table({
      id: vectorFromArray([10n, 11n, null, 13n], new Int64()),
      x: vectorFromArray([0.5, null, 2.5, 3.5], new Float64()),
      t: vectorFromArray([new Date(1000), new Date(2000), null, new Date(4000)], new TimestampMicrosecond()),
      name: vectorFromArray(['a', 'b', null, 'a'], new Dictionary(new Utf8(), new Int32())),
    }).slice(1);
    const rows = await readParquet(toParquet(table));
    expect(rows.map((r) => r.id)).toEqual([11n, null, 13n]);
    expect(rows.map((r) => r.x)).toEqual([null, 2.5, 3.5]);
    expect(rows.map((r) => r.t)).toEqual([new Date(2000), null, new Date(4000)]);
    expect(rows.map((r) => r.name)).toEqual(['b', null, 'a']);
  });

  it('accepts record batches', async () => {
    const table = tableFromArrays({ a: Int32Array.from([1, 2, 3]) });
    const rows = await readParquet(toParquet(table.batches));
    expect(rows.map((r) => r.a)).toEqual([1n, 2n, 3n]);
  });
});

describe('resumable protocol pieces', () => {
  it('reads the committed offset of a 308 Range header', () => {
    expect(committedFromRange('bytes=0-99')).toBe(100);
    expect(committedFromRange(null)).toBe(0);
    expect(committedFromRange('garbage')).toBe(0);
  });
});

describe('sources', () => {
  it('reads a sequential stream by position and refuses to go back before what it released', async () => {
    async function* chunks() {
      yield new Uint8Array([0, 1, 2]);
      yield new Uint8Array([3, 4]);
      yield new Uint8Array([5, 6, 7, 8]);
    }
    const source = iterableSource(chunks());
    expect([...(await source.read(0, 4))]).toEqual([0, 1, 2, 3]);
    expect([...(await source.read(2, 6))]).toEqual([2, 3, 4, 5]);
    expect([...(await source.read(6, 100))]).toEqual([6, 7, 8]);
    await expect(source.read(0, 2)).rejects.toThrow(UploadUsageError);
  });

  it('normalises strings, bytes, blobs and streams; refuses anything else', async () => {
    expect([...(await toUploadSource('hé').read(0, 10))]).toEqual([104, 195, 169]);
    const blob = toUploadSource(new Blob(['abcdef']));
    expect(blob.size).toBe(6);
    expect(new TextDecoder().decode(await blob.read(2, 4))).toBe('cd');
    const stream = toUploadSource(new Blob(['xyz']).stream());
    expect(stream.size).toBeUndefined();
    expect(new TextDecoder().decode(await stream.read(0, 10))).toBe('xyz');
    expect(() => toUploadSource(42 as never)).toThrow(UploadUsageError);
  });
});

describe('rowJson', () => {
  it('writes bigints exactly (decimal strings beyond 2^53) and dates as canonical strings', () => {
    const row = {
      a: 2n ** 63n - 1n,
      s: -(2n ** 53n) + 1n,
      d: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6)),
      u: undefined,
    };
    expect(rowJson(row)).toBe(
      '{"a":"9223372036854775807","s":-9007199254740991,"d":"2020-01-02T03:04:05.006000","u":null}',
    );
  });
});
