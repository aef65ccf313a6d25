import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { Sandbox } from '../../src/sql/sandbox.js';
import { apiClient } from '../helpers/api.js';
import { expectRefused, prepareTargets, type Targets } from './escape-helpers.js';

let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;
let targets: Targets;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 100 });
  api = apiClient(emu.url);
  targets = await prepareTargets(emu, api);
});
afterAll(() => emu.stop());

/** Escapes tried against the emulator, one per line of attack (statements, syntax the translator does not see…). */
function knownEscapes(t: Targets): string[] {
  const [dbFile, keyFile] = t.files as [string, string];
  return [
    `ATTACH '${dbFile}' AS stolen`,
    `COPY (SELECT 1) TO '${dbFile}.csv'`,
    'INSTALL httpfs',
    'LOAD httpfs',
    `EXPORT DATABASE '${dbFile}.dir'`,
    'PRAGMA show_tables',
    'SET enable_external_access = true',
    'RESET lock_configuration',
    'DESCRIBE iris',
    'SUMMARIZE iris',
    'SHOW TABLES',
    'SHOW ALL TABLES',
    'CALL duckdb_tables()',
    'CHECKPOINT',
    'USE memory',
    'SELECT 1; SELECT * FROM api_tokens',
    'CREATE TABLE x AS SELECT 1',
    'DROP TABLE users',
    'PIVOT iris ON species USING count(*)',
    'SELECT * FROM (PIVOT iris ON species USING count(*))',
    'SELECT * FROM (DESCRIBE iris)',
    'SELECT * FROM (SUMMARIZE iris)',
    'SELECT * FROM (SHOW TABLES)',
    'FROM (SHOW ALL TABLES)',
    'WITH s AS (SELECT * FROM duckdb_settings()) SELECT * FROM s',
    'WITH duckdb_settings AS (SELECT * FROM duckdb_settings) SELECT * FROM duckdb_settings',
    'WITH a AS (SELECT * FROM sqlite_master), sqlite_master AS (SELECT 1) SELECT * FROM a',
    'SELECT (WITH sqlite_master AS (SELECT 1) SELECT 1) AS x, * FROM sqlite_master',
    'SELECT * FROM iris AT (VERSION => 1)',
    'TABLE api_tokens',
    "SELECT * FROM 'file.csv'",
    'SELECT * FROM "file.csv"',
    `SELECT * FROM \`${keyFile}\``,
    `SELECT * FROM read_csv_auto('${keyFile}')`,
    "SELECT * FROM range(3) JOIN read_text('/etc/passwd') ON true",
    "SELECT * FROM iris, LATERAL read_csv('/etc/passwd')",
    "SELECT * FROM unnest([1]), glob('/*')",
    'SELECT $1',
    'SELECT ?',
    'SELECT @x',
    "SELECT * FROM query_table(['api_tokens'])",
    "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT * FROM api_tokens'))",
    'SELECT * FROM iris WHERE species = (SELECT value FROM meta_kv LIMIT 1)',
    "SELECT getvariable('x') AS v",
    "SELECT * FROM read_text('/etc/pass' || 'wd')",
    "SELECT * FROM iris WHERE species = 'x' UNION ALL BY NAME SELECT * FROM users",
    'SELECT * FROM iris POSITIONAL JOIN api_tokens',
    'SELECT * FROM iris ASOF JOIN api_tokens ON true',
    'SELECT * FROM iris NATURAL JOIN api_tokens',
    'SELECT * FROM iris i(a) , api_tokens',
    'FROM api_tokens SELECT *',
    "SELECT 'x' AS v FROM iris USING SAMPLE 1 ROWS JOIN api_tokens ON true",
    'SELECT * FROM demo.restricted_survey.responses',
    `SELECT * FROM ${t.relations.find((r) => r.startsWith('queryresults'))}`,
    `WITH r AS (SELECT * FROM ${t.relations.find((r) => r.startsWith('tabledata'))}) SELECT * FROM r`,
  ];
}

describe('known escape patterns', () => {
  it('each fails with a clear error, never rows', async () => {
    for (const query of knownEscapes(targets)) await expectRefused(api, targets, query);
  });
});

describe('a sandbox, even with the SQL check skipped', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await Sandbox.create();
  });
  afterAll(() => sandbox.close());

  const error = (sql: string) =>
    sandbox.conn.run(sql).then(
      () => 'no error',
      (e: Error) => e.message,
    );

  it('holds no table but its own and reaches no file, database or setting', async () => {
    const tables = await sandbox.conn.runAndReadAll(
      'SELECT database_name, schema_name, table_name FROM duckdb_tables()',
    );
    expect(tables.getRowsJS()).toEqual([]);
    const databases = await sandbox.conn.runAndReadAll(
      'SELECT database_name FROM duckdb_databases() ORDER BY 1',
    );
    expect(databases.getRowsJS().flat()).toEqual(['memory', 'system', 'temp']);
    const [dbFile, keyFile] = targets.files as [string, string];
    expect(await error(`SELECT * FROM read_text('${keyFile}')`)).toMatch(/Permission Error/);
    expect(await error(`SELECT * FROM '${dbFile}'`)).toMatch(/Permission Error|disabled|does not exist/);
    expect(await error(`ATTACH '${dbFile}' AS stolen (READ_ONLY)`)).toMatch(/Permission Error|disabled/);
    expect(await error("COPY (SELECT 1) TO '/tmp/sandbox-escape.csv'")).toMatch(/Permission Error|disabled/);
    expect(await error('SET enable_external_access = true')).toMatch(/locked|disabled|Cannot/);
    expect(await error('RESET lock_configuration')).toMatch(/locked|Cannot/);
    expect(await error('LOAD httpfs')).toMatch(/Permission|disabled|not/);
  });
});
