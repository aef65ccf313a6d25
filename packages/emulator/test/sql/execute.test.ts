import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QueryExecutionError,
  runQueryInSandbox,
  Sandbox,
  sandboxInputs,
  translateSql,
} from '../../src/sql/index.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let sandbox: Sandbox;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  sandbox = await Sandbox.create();
  await conn.run('CREATE SCHEMA tabledata; CREATE SCHEMA queryresults');
  await conn.run(`CREATE TABLE tabledata.s_iris AS SELECT * FROM (VALUES (5.1, 'setosa'), (7.0, 'versicolor'),
    (6.3, 'virginica')) v(sepal_length, species)`);
});
afterAll(() => {
  sandbox.close();
  conn.closeSync();
  instance.closeSync();
});

const run = async (sql: string, out: string) => {
  const { resolve, inputs } = sandboxInputs((ref) => {
    if (ref.reference.toLowerCase() === 'demo.iris_species.iris') return 'tabledata."s_iris"';
    throw new Error('unknown');
  });
  const translated = await translateSql(sql, resolve);
  const [schema, table] = out.split('.') as [string, string];
  try {
    return await runQueryInSandbox(
      {
        sandbox,
        openMain: () => instance.connect(),
        releaseMain: (c) => c.closeSync(),
        inputs,
        output: { schema, table },
        outputLimitBytes: 1e9,
      },
      translated,
    );
  } finally {
    await sandbox.reset();
  }
};

describe('materializeQuery', () => {
  it('stores the output with Redivis types, BigQuery column names and sizes', async () => {
    const output = await run(
      `SELECT species, sum(sepal_length) AS total, count(*), 1.5 AS d, DATE '2020-01-01' AS day,
         TIMESTAMPTZ '2020-01-01 00:00:00+02' AS ts, TIME '01:02:03' AS t, true AS ok, NULL AS nothing
       FROM demo.iris_species.iris GROUP BY species ORDER BY species`,
      'queryresults.q1',
    );
    expect(output.schema).toEqual([
      { name: 'species', type: 'string' },
      { name: 'total', type: 'float' },
      { name: 'f2_', type: 'integer' },
      { name: 'd', type: 'float' },
      { name: 'day', type: 'date' },
      { name: 'ts', type: 'dateTime' },
      { name: 't', type: 'time' },
      { name: 'ok', type: 'boolean' },
      { name: 'nothing', type: 'integer' },
    ]);
    expect(output.numRows).toBe(3);
    // species (2 + bytes) + 7 fixed-width non-null columns of 8 bytes, except boolean (1).
    const speciesBytes = ['setosa', 'versicolor', 'virginica'].reduce((n, s) => n + s.length + 2, 0);
    expect(output.numBytes).toBe(speciesBytes + 3 * (6 * 8 + 1));
    const described = (await conn.runAndReadAll('DESCRIBE queryresults.q1')).getRowsJS().map((r) => r[1]);
    expect(described).toEqual([
      'VARCHAR',
      'DOUBLE',
      'BIGINT',
      'DOUBLE',
      'DATE',
      'TIMESTAMP',
      'TIME',
      'BOOLEAN',
      'BIGINT',
    ]);
    const rows = (await conn.runAndReadAll('SELECT species, ts FROM queryresults.q1')).getRowsJS();
    expect(rows[0]).toEqual(['setosa', new Date(Date.UTC(2019, 11, 31, 22))]);
  });

  it('fails with BigQuery-like messages naming what the user wrote, and stores nothing', async () => {
    const stored = async () =>
      (await conn.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE schema_name = 'queryresults'`))
        .getRowsJS()
        .flat();
    // Compared with what was there before, not with the table the previous test stored: runs alone or shuffled.
    const before = await stored();
    await expect(run('SELECT 1/0 AS x', 'queryresults.q5')).rejects.toThrow(/division by zero: 1 \/ 0/);
    const error = await run('SELECT nope FROM demo.iris_species.iris', 'queryresults.q2').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueryExecutionError);
    expect((error as Error).message).toMatch(/nope/);
    expect((error as Error).message).not.toMatch(/s_iris|rdv_table|LINE 1|Did you mean/);
    await expect(run('SELECT 1 AS a, 2 AS a', 'queryresults.q3')).rejects.toThrow(
      /Duplicate column names.*a/,
    );
    await expect(
      run('SELECT 1/0 AS x FROM demo.iris_species.iris WHERE species = 1', 'queryresults.q4'),
    ).rejects.toThrow(QueryExecutionError);
    expect(await stored()).toEqual(before);
  });
});
