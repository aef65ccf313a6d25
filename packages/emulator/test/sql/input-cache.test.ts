import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkedSql,
  type InputTable,
  runQueryInSandbox,
  Sandbox,
  SqlNotAllowedError,
  sandboxInputs,
  translateSql,
} from '../../src/sql/index.js';

let instance: DuckDBInstance;
let conn: DuckDBConnection;
let sandbox: Sandbox;
let outputs = 0;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  sandbox = await Sandbox.create();
  await conn.run('CREATE SCHEMA tabledata; CREATE SCHEMA queryresults');
  await conn.run(`CREATE TABLE tabledata.s_iris AS SELECT * FROM (VALUES (5.1, 'setosa'), (7.0, 'versicolor'),
    (6.3, 'virginica')) v(sepal_length, species)`);
  await conn.run('CREATE TABLE tabledata.s_next AS SELECT 1 AS n');
});
afterAll(() => {
  sandbox.close();
  conn.closeSync();
  instance.closeSync();
});

/** Released iris has a cache key; `next` (an unreleased table) has none. */
const TABLES: Record<string, InputTable> = {
  'demo.iris_species.iris': { relation: 'tabledata."s_iris"', cacheKey: 's_iris:3', numBytes: 60 },
  'demo.iris_species:next.iris': { relation: 'tabledata."s_next"' },
};

async function run(sql: string, userId: string | undefined) {
  const { resolve, inputs } = sandboxInputs((ref) => {
    const table = TABLES[ref.reference.toLowerCase()];
    if (!table) throw new Error('unknown');
    return table;
  });
  const translated = await translateSql(sql, resolve);
  const table = `q${++outputs}`;
  try {
    const output = await runQueryInSandbox(
      {
        sandbox,
        openMain: () => instance.connect(),
        releaseMain: (c) => c.closeSync(),
        inputs,
        ...(userId === undefined ? {} : { userId }),
        output: { schema: 'queryresults', table },
        outputLimitBytes: 1e9,
      },
      translated,
    );
    const rows = (await conn.runAndReadAll(`SELECT * FROM queryresults.${table}`)).getRowsJS();
    return { output, rows };
  } finally {
    await sandbox.reset();
  }
}

/** Tables (not views) of the sandbox, as schema.name. */
async function sandboxTables(): Promise<string[]> {
  const result = await sandbox.conn.runAndReadAll(
    'SELECT schema_name, table_name FROM duckdb_tables() ORDER BY ALL',
  );
  return result.getRowsJS().map(([s, t]) => `${s}.${t}`);
}

describe('the sandbox input cache', () => {
  it('keeps a released table for its user, copies it once, and drops it when another user takes the sandbox', async () => {
    const sql = 'SELECT species FROM demo.iris_species.iris WHERE sepal_length > 6 ORDER BY species';
    const first = await run(sql, 'alice');
    expect(first.rows).toEqual([['versicolor'], ['virginica']]);
    const kept = await sandboxTables();
    expect(kept).toEqual(['cache.copy_1']);
    // A change in the emulator's copy would show if the second run copied again: the kept copy answers instead.
    await conn.run("UPDATE tabledata.s_iris SET species = 'changed' WHERE species = 'setosa'");
    const second = await run(
      "SELECT count(*) AS n FROM demo.iris_species.iris WHERE species = 'setosa'",
      'alice',
    );
    expect(second.rows).toEqual([[1n]]);
    expect(await sandboxTables()).toEqual(['cache.copy_1']);

    const bob = await run("SELECT count(*) AS n FROM demo.iris_species.iris WHERE species = 'setosa'", 'bob');
    expect(bob.rows).toEqual([[0n]]);
    expect(await sandboxTables()).toEqual(['cache.copy_2']);
    await conn.run("UPDATE tabledata.s_iris SET species = 'setosa' WHERE species = 'changed'");
  });

  it('copies unreleased tables, and every table of a job without a user, for that job only', async () => {
    const before = await sandboxTables();
    const next = await run('SELECT n FROM demo.iris_species:next.iris', 'bob');
    expect(next.rows).toEqual([[1n]]);
    const anonymous = await run('SELECT count(*) AS n FROM demo.iris_species.iris', undefined);
    expect(anonymous.rows).toEqual([[3n]]);
    expect(await sandboxTables()).toEqual(before);
  });

  it('refuses user SQL naming the cache schema, whatever it holds', async () => {
    await run('SELECT 1 AS x FROM demo.iris_species.iris', 'carol');
    expect(await sandboxTables()).toEqual(['cache.copy_3']);
    for (const sql of ['SELECT * FROM cache.copy_3', 'SELECT * FROM "cache"."copy_3"', 'FROM cache.copy_3']) {
      await expect(checkedSql(sandbox.conn, { sql, tables: [] }, new Set(['copy_3']))).rejects.toThrow(
        SqlNotAllowedError,
      );
    }
  });
});
