import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';
import { VARIABLE_TYPE_FACTS, VARIABLE_TYPES } from '@redivis-ts/core';
import { Type } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowTypeFor, createColumnBuilder } from '../src/arrow/index.js';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import {
  DUCKDB_TYPE_ID,
  duckdbStorageType,
  numBytesSql,
  variableTypeOfDuckDB,
} from '../src/store/duckdb-types.js';
import { ALICE } from './contract-helpers.js';
import { apiClient } from './helpers/api.js';

// The Arrow type id each of core's Arrow type names must become (a copy of the table would drift from this).
const ARROW_TYPE_ID = {
  int64: Type.Int,
  float64: Type.Float,
  bool: Type.Bool,
  'date32[day]': Type.Date,
  'timestamp[us]': Type.Timestamp,
  'time64[us]': Type.Time,
  string: Type.Utf8,
} as const;

describe("core's type table drives every emulator mapping", () => {
  it.each(VARIABLE_TYPES)('%s has a DuckDB storage type, type id, Arrow type and column builder', (type) => {
    const facts = VARIABLE_TYPE_FACTS[type];
    expect(duckdbStorageType(type)).toBe(facts.duckdb);
    expect(DUCKDB_TYPE_ID[type]).toBe(DuckDBTypeId[facts.duckdb]);
    expect(arrowTypeFor(type).typeId).toBe(ARROW_TYPE_ID[facts.arrow]);
    expect(createColumnBuilder(type, 4)).toBeDefined();
    // Reading the storage type back gives the type (geography is stored as text and needs its override).
    expect(variableTypeOfDuckDB(facts.duckdb)).toBe(type === 'geography' ? 'string' : type);
  });

  it('measures numBytes from the byte facts: 2 + UTF-8 length per text value, fixed widths otherwise', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const cols = VARIABLE_TYPES.map((t) => `"${t}" ${duckdbStorageType(t)}`).join(', ');
      await conn.run(`CREATE TABLE t (${cols})`);
      await conn.run(`INSERT INTO t VALUES (true, 1, 1.5, 'héllo', DATE '2020-01-01', TIMESTAMP '2020-01-01 00:00:00',
        TIME '01:00:00', 'POINT(1 2)'), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
      const sql = numBytesSql(VARIABLE_TYPES.map((t) => ({ column: t, type: t })));
      const bytes = Number((await conn.runAndReadAll(`SELECT ${sql} FROM t`)).getRowsJS()[0]?.[0]);
      // boolean 1, five 8-byte types, 'héllo' 2 + 6, 'POINT(1 2)' 2 + 10; nulls count nothing.
      expect(bytes).toBe(1 + 5 * 8 + 8 + 12);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});

describe('a table and a SELECT * of it report the same numBytes', () => {
  let emu: RunningEmulator;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo', seedRows: 500 });
    api = apiClient(emu.url);
  });
  afterAll(() => emu.stop());

  // Between them the two weather tables hold every Redivis type, geography included.
  it.each(['stations', 'daily_observations'])('demo.weather_sample.%s', async (name) => {
    const table = await api(`/tables/demo.weather_sample.${name}`, { token: ALICE });
    expect(table.status, table.text).toBe(200);
    const q = await api('/queries', {
      token: ALICE,
      json: { query: `SELECT * FROM demo.weather_sample.${name}` },
    });
    expect(q.body.status, q.body.errorMessage).toBe('completed');
    expect(q.body.outputNumRows).toBe(table.body.numRows);
    expect(table.body.numBytes).toBeGreaterThan(0);
    expect(q.body.outputNumBytes).toBe(table.body.numBytes);
  });
});
