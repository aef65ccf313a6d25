import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createApiToken } from '../../src/auth/tokens.js';
import { SIGNING_KEY_FILE } from '../../src/oauth/key-file.js';
import type { RunningEmulator } from '../../src/index.js';
import { DATABASE_FILE } from '../../src/server.js';
import { ALICE } from '../contract-helpers.js';
import type { apiClient } from '../helpers/api.js';

/** What a hostile user with `data.data` on the public iris dataset only would like to read. */
export interface Targets {
  /** Bob's token (scope data.data; metadata access only to demo.restricted_survey). */
  token: string;
  /** Relations of the emulator's database that hold secrets or other people's data. */
  relations: string[];
  /** Files on the local disk. */
  files: string[];
  /** Secret values that must never appear in a response. */
  secrets: string[];
}

/** Sets up the targets: Alice runs a private query, Bob gets a data-scoped token. */
export async function prepareTargets(
  emu: RunningEmulator,
  api: ReturnType<typeof apiClient>,
): Promise<Targets> {
  const bob = await createApiToken(emu.ctx, { userName: 'bob', name: 'bob data', scopes: ['data.data'] });
  const alice = await api('/queries', {
    token: ALICE,
    json: { query: "SELECT 'alice secret' AS s FROM demo.restricted_survey.responses LIMIT 1" },
  });
  expect(alice.body.status).toBe('completed');
  const storage = await emu.ctx.db.one<{ storage: string }>(
    "SELECT storage FROM tables WHERE name = 'responses' LIMIT 1",
  );
  const hashes = await emu.ctx.db.all<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
  const dataDir = emu.ctx.dataDir;
  return {
    token: bob.value,
    relations: [
      'api_tokens',
      'main.api_tokens',
      'redivis.main.api_tokens',
      'users',
      'meta_kv',
      'queries',
      `tabledata."${storage?.storage}"`,
      `queryresults."q_${alice.body.id}"`,
      // Copies of released tables a sandbox keeps for Alice's later queries (sql/input-cache.ts).
      'cache.copy_1',
      'cache."copy_1"',
      'duckdb_tables',
      'information_schema.tables',
      'sqlite_master',
      'pg_catalog.pg_class',
    ],
    files: [join(dataDir, DATABASE_FILE), join(dataDir, SIGNING_KEY_FILE), '/etc/passwd'],
    secrets: [
      ...hashes.map((h) => h.token_hash),
      (await readFile(join(dataDir, SIGNING_KEY_FILE), 'utf8').catch(() => 'no key file')).trim(),
      'alice secret',
    ],
  };
}

/** Table expressions that reach a target (given its relation or file), in the forms SQL allows. */
export function tableForms(t: Targets): string[] {
  const sql = (s: string) => s.replaceAll("'", "''");
  return [
    ...t.relations,
    ...t.relations.map((r) => `(${r})`),
    'demo.restricted_survey.responses',
    ...t.files.flatMap((f) => [
      `'${sql(f)}'`,
      `read_csv('${sql(f)}')`,
      `read_text('${sql(f)}')`,
      `read_blob('${sql(f)}')`,
      `read_parquet('${sql(f)}')`,
      `read_json('${sql(f)}')`,
      `sniff_csv('${sql(f)}')`,
      `parquet_metadata('${sql(f)}')`,
    ]),
    "glob('/*')",
    'duckdb_tables()',
    'duckdb_settings()',
    'duckdb_databases()',
    "pragma_table_info('api_tokens')",
    "query('SELECT * FROM api_tokens')",
    "query_table('api_tokens')",
  ];
}

/** Expressions that read settings, the catalog, the environment or files. */
export const FORBIDDEN_EXPRESSIONS: readonly string[] = [
  "current_setting('TimeZone')",
  "getvariable('x')",
  'version()',
  "getenv('HOME')",
  'current_database()',
  'current_schema()',
  "json_serialize_sql('SELECT 1')",
  "nextval('s')",
  'txid_current()',
  'system.main.abs(1)',
  "pg_catalog.current_setting('TimeZone')",
  '(SELECT count(*) FROM duckdb_settings())',
  "(SELECT count(*) FROM read_text('/etc/passwd'))",
];

/**
 * Constructs wrapping a table expression `T` (or, for `expr`, an expression `E`) in every place SQL lets one stand.
 * Each shape applied to the readable table `iris` must complete (checked by the tests), so a forbidden target
 * failing in it fails because of the target.
 */
export const TABLE_SHAPES: ReadonlyArray<(t: string) => string> = [
  (t) => `SELECT * FROM ${t}`,
  (t) => `WITH x AS (SELECT * FROM ${t}) SELECT * FROM x`,
  (t) =>
    `WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r, ${t} WHERE n < 2) SELECT * FROM r`,
  (t) => `SELECT * FROM (SELECT * FROM ${t}) AS s`,
  (t) => `SELECT (SELECT count(*) FROM ${t}) AS n`,
  (t) => `SELECT count(*) AS n FROM iris UNION ALL SELECT count(*) FROM ${t}`,
  (t) => `SELECT count(*) AS n FROM iris EXCEPT SELECT count(*) + 1000 FROM ${t}`,
  (t) => `SELECT i.species FROM iris AS i, LATERAL (SELECT count(*) AS n FROM ${t}) AS l`,
  (t) => `SELECT 1 AS one FROM iris WHERE EXISTS (SELECT 1 FROM ${t})`,
  (t) => `SELECT v.a FROM (VALUES (1)) AS v(a) CROSS JOIN ${t}`,
  (t) => `SELECT * FROM (SELECT 1 AS k, count(*) AS n FROM ${t}) PIVOT (sum(n) FOR k IN (1))`,
  (t) => `SELECT * FROM (SELECT count(*) AS a, 2 AS b FROM ${t}) UNPIVOT (v FOR k IN (a, b))`,
  (t) => `SELECT u.n FROM unnest([1]) AS u(n) WHERE u.n IN (SELECT count(*) FROM ${t})`,
  (t) => `SELECT * FROM iris LIMIT (SELECT count(*) FROM ${t})`,
];

/** Constructs wrapping an expression `E`. */
export const EXPRESSION_SHAPES: ReadonlyArray<(e: string) => string> = [
  (e) => `SELECT ${e} AS v`,
  (e) => `SELECT species FROM iris WHERE ${e} IS NOT NULL`,
  (e) => `SELECT list_transform([1], x -> ${e}) AS v`,
  (e) => `SELECT (SELECT ${e}) AS v`,
  (e) => `WITH c AS (SELECT ${e} AS v) SELECT * FROM c`,
  (e) => `SELECT * FROM (VALUES (${e})) AS t(v)`,
  (e) => `SELECT CASE WHEN true THEN ${e} END AS v`,
  (e) => `SELECT count(*) FILTER (WHERE ${e} IS NULL) AS v FROM iris`,
  (e) => `SELECT row_number() OVER (ORDER BY ${e}) AS v FROM iris`,
];

/** Posts a query as `token` and asserts it failed with a readable message, no rows and no secret in sight. */
export async function expectRefused(
  api: ReturnType<typeof apiClient>,
  t: Targets,
  query: string,
): Promise<string> {
  const res = await api('/queries', { token: t.token, json: { query, defaultDataset: 'demo.iris_species' } });
  expect(res.status, `${query}\n${res.text}`).toBe(200);
  expect(res.body.status, `${query}\n${res.text}`).toBe('failed');
  expect(res.body.outputNumRows, query).toBeNull();
  const message = String(res.body.errorMessage);
  expect(message, query).toMatch(/\w{3}/);
  expect(message, query).not.toMatch(/undefined|\[object|internal error/i);
  for (const secret of t.secrets) expect(res.text, query).not.toContain(secret);
  const rows = await api(`/queries/${res.body.id}/rows`, { token: t.token });
  expect(rows.status, query).toBe(400);
  return message;
}

/** Posts a query as `token` and asserts it completed. */
export async function expectCompleted(
  api: ReturnType<typeof apiClient>,
  t: Targets,
  query: string,
): Promise<void> {
  const res = await api('/queries', { token: t.token, json: { query, defaultDataset: 'demo.iris_species' } });
  expect(res.body.status, `${query}\n${res.text}`).toBe('completed');
}
