import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { RecordBatchReader, RecordBatchStreamWriter } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowIpcStream, buildReadSql, type ReadSqlColumn } from '../../src/arrow/index.js';

// The writer frames IPC messages itself (one buffer per record batch); these tests hold it to apache-arrow's own
// stream writer byte for byte, over every column layout, nulls, all-null columns, long and short strings.
let instance: DuckDBInstance;
let conn: DuckDBConnection;

const columns: ReadSqlColumn[] = [
  { column: 's', type: 'string' },
  { column: 'd', type: 'date' },
  { column: 'v', type: 'integer' },
  { column: 'f', type: 'float' },
  { column: 'b', type: 'boolean' },
  { column: 'ts', type: 'dateTime' },
  { column: 't', type: 'time' },
  { column: 'g', type: 'geography' },
  { column: 'nb', type: 'boolean' },
  { column: 'ns', type: 'string' },
];

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`CREATE TABLE t AS SELECT
      CASE WHEN i % 11 = 0 THEN NULL WHEN i % 3 = 0 THEN 'TMAX' WHEN i % 3 = 1 THEN repeat('é', (i % 17)::INT)
        ELSE 'a string longer than twelve bytes ' || i::VARCHAR END AS s,
      CASE WHEN i % 13 = 0 THEN NULL ELSE DATE '1890-01-01' + (i * 7)::INT END AS d,
      CASE WHEN i % 5 = 0 THEN NULL ELSE i * 7 - 3000 END AS v,
      CASE WHEN i % 8 = 0 THEN NULL ELSE i / 3.0 END AS f,
      CASE WHEN i % 6 = 0 THEN NULL ELSE i % 2 = 0 END AS b,
      CASE WHEN i % 9 = 0 THEN NULL ELSE TIMESTAMP '1900-01-01' + INTERVAL (i * 1234567) MICROSECOND END AS ts,
      CASE WHEN i % 4 = 0 THEN NULL ELSE TIME '00:00:00' + INTERVAL (i % 86400) SECOND END AS t,
      'POINT(' || i::VARCHAR || ' 1)' AS g,
      NULL::BOOLEAN AS nb,
      NULL::VARCHAR AS ns
    FROM range(5000) r(i)`);
});

afterAll(() => {
  conn.closeSync();
  instance.closeSync();
});

async function encode(range: { offset: number; limit?: number }, options = {}): Promise<Uint8Array> {
  const result = await conn.stream(buildReadSql('t', columns, range));
  const read = columns.map((c) => ({ name: c.column, type: c.type }));
  const parts: Uint8Array[] = [];
  for await (const part of arrowIpcStream(result, read, options)) parts.push(part);
  return Buffer.concat(parts);
}

describe('arrowIpcStream framing', () => {
  it.each([
    ['default batches', { offset: 0 }, {}],
    [
      'unaligned batch sizes and a sentinel',
      { offset: 3, limit: 2000 },
      { batchRows: 333, eosSentinel: true },
    ],
    ['tiny batches', { offset: 1, limit: 40 }, { batchRows: 7 }],
    ['an empty read with a sentinel', { offset: 5000 }, { eosSentinel: true }],
  ])('writes the bytes apache-arrow writes for the same batches: %s', async (_, range, options) => {
    const bytes = await encode(range, options);
    const batches = [...RecordBatchReader.from(bytes)];
    const reference = RecordBatchStreamWriter.writeAll(batches).toUint8Array(true);
    expect(batches.length).toBeGreaterThan(0);
    expect(Buffer.from(bytes).equals(Buffer.from(reference))).toBe(true);
  });
});
