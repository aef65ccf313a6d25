import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { RecordBatchReader, type Table, tableFromIPC, Type } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArrowColumnMismatchError,
  arrowIpcStream,
  buildReadSql,
  denseRowidBase,
  partitionRows,
  type ReadColumn,
  type ReadSqlColumn,
  rowidBoundsSql,
  toReadableStream,
} from '../../src/arrow/index.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;

const typed: ReadSqlColumn[] = [
  { column: 'i', type: 'integer' },
  { column: 'f', type: 'float' },
  { column: 'b', type: 'boolean' },
  { column: 'd', type: 'date' },
  { column: 'ts', type: 'dateTime' },
  { column: 't', type: 'time' },
  { column: 's', type: 'string' },
  { column: 'g', type: 'geography' },
];
const asRead = (cols: ReadSqlColumn[]): ReadColumn[] =>
  cols.map((c) => ({ name: c.name ?? c.column, type: c.type }));

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`CREATE TABLE typed AS SELECT * FROM (VALUES
      (1::BIGINT, 1.5::DOUBLE, true, DATE '2020-01-02', TIMESTAMP '2020-01-02 03:04:05.123456', TIME '13:14:15.5',
       'short', 'POINT(-122.1 37.4)'),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (-9007199254740993::BIGINT, -0.25, false, DATE '1969-12-31', TIMESTAMP '1900-01-01 00:00:00', TIME '00:00:00',
       'a string longer than twelve bytes, with ünïcödé', 'POLYGON((0 0, 1 0, 1 1, 0 0))')
    ) v(i, f, b, d, ts, t, s, g)`);
  // 10 000 rows over several DuckDB chunks, every 7th value null, strings both inline (<= 12 bytes) and pointed-to.
  await conn.run(`CREATE TABLE big AS SELECT range AS id,
      CASE WHEN range % 7 = 0 THEN NULL ELSE range * 0.5 END AS half,
      CASE WHEN range % 7 = 3 THEN NULL ELSE repeat('x', (range % 20)::INT) || range::VARCHAR END AS label,
      range % 2 = 0 AS even
    FROM range(10000)`);
});

afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

async function collect(gen: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of gen) parts.push(p);
  return Buffer.concat(parts);
}

async function read(
  table: string,
  cols: ReadSqlColumn[],
  range = { offset: 0 } as { offset: number; limit?: number },
  opts = {},
) {
  const result = await conn.stream(buildReadSql(table, cols, range));
  return collect(arrowIpcStream(result, asRead(cols), opts));
}

const bigCols: ReadSqlColumn[] = [
  { column: 'id', type: 'integer' },
  { column: 'half', type: 'float' },
  { column: 'label', type: 'string' },
  { column: 'even', type: 'boolean' },
];

describe('arrowIpcStream', () => {
  it('writes the exact Arrow types the clients expect, nullable, with values and nulls intact', async () => {
    const table = tableFromIPC(await read('typed', typed));
    const types = table.schema.fields.map((f) => [f.name, Type[f.type.typeId], f.nullable]);
    expect(types).toEqual([
      ['i', 'Int', true],
      ['f', 'Float', true],
      ['b', 'Bool', true],
      ['d', 'Date', true],
      ['ts', 'Timestamp', true],
      ['t', 'Time', true],
      ['s', 'Utf8', true],
      ['g', 'Utf8', true],
    ]);
    const f = (n: string) =>
      table.schema.fields.find((x) => x.name === n)?.type as unknown as Record<string, unknown>;
    expect([f('i').bitWidth, f('i').isSigned]).toEqual([64, true]);
    expect(f('f').precision).toBe(2); // DOUBLE
    expect(f('d').unit).toBe(0); // DateUnit.DAY → date32
    expect([f('ts').unit, f('ts').timezone]).toEqual([2, null]); // MICROSECOND, no zone
    expect([f('t').unit, f('t').bitWidth]).toEqual([2, 64]); // time64[us]

    expect(table.numRows).toBe(3);
    const col = (n: string) => table.getChild(n)?.toArray() as unknown as unknown[];
    expect(table.getChild('i')?.get(0)).toBe(1n);
    expect(table.getChild('i')?.get(2)).toBe(-9007199254740993n);
    expect([...col('f')].slice(0, 1)).toEqual([1.5]);
    expect(table.getChild('f')?.get(2)).toBe(-0.25);
    expect([table.getChild('b')?.get(0), table.getChild('b')?.get(2)]).toEqual([true, false]);
    expect(table.getChild('d')?.get(0)).toBe(Date.UTC(2020, 0, 2));
    expect(table.getChild('d')?.get(2)).toBe(Date.UTC(1969, 11, 31));
    // timestamp[us] and time64[us] keep microseconds: read the raw int64 storage.
    expect(table.getChild('ts')?.data[0]?.values[0]).toBe(
      BigInt(Date.UTC(2020, 0, 2, 3, 4, 5)) * 1000n + 123456n,
    );
    expect(table.getChild('t')?.data[0]?.values[0]).toBe(
      (13n * 3600n + 14n * 60n + 15n) * 1_000_000n + 500_000n,
    );
    expect(table.getChild('s')?.get(0)).toBe('short');
    expect(table.getChild('s')?.get(2)).toBe('a string longer than twelve bytes, with ünïcödé');
    expect(table.getChild('g')?.get(2)).toBe('POLYGON((0 0, 1 0, 1 1, 0 0))');
    for (const name of ['i', 'f', 'b', 'd', 'ts', 't', 's', 'g']) {
      expect(table.getChild(name)?.get(1), name).toBeNull();
      expect(table.getChild(name)?.nullCount, name).toBe(1);
    }
  });

  it('streams a multi-chunk table in coalesced batches with values and nulls equal to DuckDB', async () => {
    const bytes = await read('big', bigCols, { offset: 0 }, { batchRows: 3000 });
    const reader = RecordBatchReader.from(bytes);
    const sizes: number[] = [];
    for (const batch of reader) sizes.push(batch.numRows);
    expect(sizes).toEqual([3000, 3000, 3000, 1000]);
    const table = tableFromIPC(bytes);
    const expected = await (await conn.run('SELECT * FROM big')).getRowsJS();
    expect(table.numRows).toBe(expected.length);
    for (const row of [0, 3, 7, 2047, 2048, 2999, 3000, 6143, 9999]) {
      const [id, half, label, even] = expected[row] as [bigint, number | null, string | null, boolean];
      expect(table.getChild('id')?.get(row)).toBe(id);
      expect(table.getChild('half')?.get(row)).toBe(half);
      expect(table.getChild('label')?.get(row)).toBe(label);
      expect(table.getChild('even')?.get(row)).toBe(even);
    }
    expect(table.getChild('half')?.nullCount).toBe(Math.ceil(10000 / 7));
  });

  it('writes the same bytes for the same rows: null slots and bits past a short batch are zero', async () => {
    // DuckDB leaves leftover memory in a null row's slot, and builders are reused from batch to batch: neither may
    // reach the output (apache-arrow's writer writes zeros there too).
    const options = { batchRows: 1000, limit: 2501 };
    const first = await read('big', bigCols, { offset: 0 }, options);
    expect(Buffer.from(await read('big', bigCols, { offset: 0 }, options)).equals(Buffer.from(first))).toBe(
      true,
    );
    const batches = [...RecordBatchReader.from(first)];
    expect(batches.map((b) => b.numRows)).toEqual([1000, 1000, 501]);
    for (const batch of batches) {
      const half = batch.getChild('half')?.data[0];
      for (let row = 0; row < batch.numRows; row++) {
        if (half?.getValid(row) === false) expect(half.values[row], `half, row ${row}`).toBe(0);
      }
    }
    // 501 rows: the last byte of a bitmap holds 5 rows; its 3 high bits are past the batch (and were 1 in the batch
    // before, whose rows there were valid and even/odd alternating).
    const bitmap = batches[2]?.getChild('half')?.data[0]?.nullBitmap as Uint8Array;
    const bools = batches[2]?.getChild('even')?.data[0]?.values as Uint8Array;
    expect([(bitmap[62] as number) >> 5, (bools[62] as number) >> 5]).toEqual([0, 0]);
  });

  it('resumes at an offset, honours a limit, and selects columns in the requested order', async () => {
    const cols: ReadSqlColumn[] = [
      { column: 'label', type: 'string', name: 'LABEL' },
      { column: 'id', type: 'integer' },
    ];
    const table = tableFromIPC(await read('big', cols, { offset: 4321, limit: 100 }));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['LABEL', 'id']);
    expect(table.numRows).toBe(100);
    expect(table.getChild('id')?.get(0)).toBe(4321n);
    expect(table.getChild('id')?.get(99)).toBe(4420n);
  });

  it('truncates at the writer limit even when the SQL returns more', async () => {
    const result = await conn.stream(buildReadSql('big', bigCols, { offset: 0 }));
    const table = tableFromIPC(await collect(arrowIpcStream(result, asRead(bigCols), { limit: 2500 })));
    expect(table.numRows).toBe(2500);
  });

  it('ends with a zero-row batch when eosSentinel is set, and writes only a schema for an empty read', async () => {
    const withSentinel = [
      ...RecordBatchReader.from(await read('big', bigCols, { offset: 9990 }, { eosSentinel: true })),
    ];
    expect(withSentinel.map((b) => b.numRows)).toEqual([10, 0]);
    const without = [...RecordBatchReader.from(await read('big', bigCols, { offset: 9990 }))];
    expect(without.map((b) => b.numRows)).toEqual([10]);
    const empty = tableFromIPC(await read('big', bigCols, { offset: 10_000 }));
    expect([empty.numRows, empty.schema.fields.length]).toEqual([0, 4]);
    const emptySentinel = [
      ...RecordBatchReader.from(await read('big', bigCols, { offset: 10_000 }, { eosSentinel: true })),
    ];
    expect(emptySentinel.map((b) => b.numRows)).toEqual([0]);
  });

  it('refuses a result whose storage types do not match the columns', async () => {
    const result = await conn.stream('SELECT 1::INTEGER AS i');
    await expect(collect(arrowIpcStream(result, [{ name: 'i', type: 'integer' }]))).rejects.toThrow(
      ArrowColumnMismatchError,
    );
  });

  it('partitions rows so that windows together return every row exactly once', async () => {
    const total = 10_000;
    for (const count of [1, 3, 7, 16]) {
      const ranges = partitionRows(total, count);
      expect(ranges.length).toBe(Math.min(count, total));
      let sum = 0n;
      let rows = 0;
      for (const range of ranges) {
        const t: Table = tableFromIPC(await read('big', [{ column: 'id', type: 'integer' }], range));
        rows += t.numRows;
        for (const v of t.getChild('id') ?? []) sum += v as bigint;
      }
      expect(rows).toBe(total);
      expect(sum).toBe(BigInt((total * (total - 1)) / 2));
    }
    expect(partitionRows(0, 4)).toEqual([{ offset: 0, limit: 0 }]);
    expect(partitionRows(2, 8)).toEqual([
      { offset: 0, limit: 1 },
      { offset: 1, limit: 1 },
    ]);
  });

  it('reads windows as pushed-down rowid ranges when rowids are dense, and falls back to OFFSET otherwise', async () => {
    const bounds = async (t: string) => {
      const [n, lo, hi] = (await (await conn.run(rowidBoundsSql(t))).getRowsJS())[0] as [
        bigint,
        bigint,
        bigint,
      ];
      return { n: Number(n), lo: Number(lo), hi: Number(hi) };
    };
    const base = denseRowidBase(await bounds('big'));
    expect(base).toBe(0);
    const cols: ReadSqlColumn[] = [{ column: 'id', type: 'integer' }];
    const sql = buildReadSql('big', cols, { offset: 9000, limit: 5 }, base);
    expect(sql).toMatch(/WHERE rowid >= 9000 AND rowid < 9005$/);
    const t = tableFromIPC(await collect(arrowIpcStream(await conn.stream(sql), asRead(cols))));
    expect([...(t.getChild('id') ?? [])]).toEqual([9000n, 9001n, 9002n, 9003n, 9004n]);
    await conn.run('CREATE TABLE gappy AS SELECT * FROM big; DELETE FROM gappy WHERE id = 5');
    expect(denseRowidBase(await bounds('gappy'))).toBeUndefined();
    const fallback = tableFromIPC(await read('gappy', cols, { offset: 5, limit: 2 }));
    expect([...(fallback.getChild('id') ?? [])]).toEqual([6n, 7n]);
  });

  it('feeds a web ReadableStream lazily and releases its resource exactly once on cancel', async () => {
    const result = await conn.stream(buildReadSql('big', bigCols, { offset: 0 }));
    let pulled = 0;
    let closed = 0;
    const gen = arrowIpcStream(result, asRead(bigCols), { batchRows: 1000 });
    async function* counting() {
      for await (const part of gen) {
        pulled++;
        yield part;
      }
    }
    const stream = toReadableStream(counting(), () => closed++);
    const reader = stream.getReader();
    await reader.read(); // schema
    await reader.read(); // first batch
    expect(pulled).toBeLessThanOrEqual(3); // highWaterMark 1: at most one chunk read ahead
    await reader.cancel();
    expect(closed).toBe(1);
    const full = toReadableStream(
      arrowIpcStream(await conn.stream('SELECT 1::BIGINT'), [{ name: 'x', type: 'integer' }]),
      () => closed++,
    );
    const bytes = new Uint8Array(await new Response(full).arrayBuffer());
    expect(tableFromIPC(bytes).getChild('x')?.get(0)).toBe(1n);
    expect(closed).toBe(2);
  });
});
