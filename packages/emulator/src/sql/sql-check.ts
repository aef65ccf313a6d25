import type { DuckDBConnection } from '@duckdb/node-api';
import { checkTree, SqlNotAllowedError } from './tree-check.js';
import type { TranslatedSql } from './translate.js';

type JsonObject = Parameters<typeof checkTree>[0];

// JSON numbers would lose digits in JS (64-bit constants, the uint64 "no location" marker), so each number travels
// through the check as an object holding its exact text; no key of DuckDB's tree is named like this one.
const EXACT_NUMBER = '__exact_number__';
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const EXACT_NUMBER_OBJECT = new RegExp(`\\{"${EXACT_NUMBER}":"([^"]+)"\\}`, 'g');

function parseExact(text: string): JsonObject {
  const wrapped = text.replace(JSON_TOKEN, (token) =>
    token.startsWith('"') ? token : `{"${EXACT_NUMBER}":"${token}"}`,
  );
  return JSON.parse(wrapped) as JsonObject;
}

function stringifyExact(tree: JsonObject): string {
  return JSON.stringify(tree).replace(EXACT_NUMBER_OBJECT, '$1');
}

async function serialize(conn: DuckDBConnection, sql: string): Promise<JsonObject> {
  const result = await conn.runAndReadAll('SELECT json_serialize_sql(?::VARCHAR)', [sql]);
  return parseExact(String(result.getRowsJS()[0]?.[0]));
}

async function deserialize(conn: DuckDBConnection, tree: JsonObject): Promise<string> {
  const result = await conn.runAndReadAll('SELECT json_deserialize_sql(?::JSON)', [stringifyExact(tree)]);
  return String(result.getRowsJS()[0]?.[0]);
}

/**
 * The SQL the sandbox will run for a translated query: DuckDB's parser turns the query into a tree, which is checked
 * and rewritten (tree-check.ts) and printed back as SQL. That text is parsed and checked once more, and must need no
 * further rewrite, so the statement that runs is exactly one that passed the check (no gap between the parser the
 * check saw and the one that executes).
 */
export async function checkedSql(
  conn: DuckDBConnection,
  translated: TranslatedSql,
  inputTables: ReadonlySet<string>,
): Promise<string> {
  const first = checkTree(await serialize(conn, translated.sql), inputTables);
  const sql = await deserialize(conn, first.tree);
  const second = checkTree(await serialize(conn, sql), inputTables);
  if (second.rewrites > 0) {
    throw new SqlNotAllowedError('The emulator could not check this query; simplify it or report the query');
  }
  return sql;
}
