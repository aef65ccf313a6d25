import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import { materializedRows } from '../store/materialized.js';
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

const SERIALIZE = 'SELECT json_serialize_sql(?::VARCHAR)';
const REPRINT = 'SELECT s, json_serialize_sql(s) FROM (SELECT json_deserialize_sql(?::JSON) AS s)';
const PARSE_AND_REPRINT = `SELECT j, s, CASE WHEN s IS NULL THEN NULL ELSE json_serialize_sql(s) END FROM (
  SELECT j, CASE WHEN json_extract(j, '$.error') = 'true' THEN NULL ELSE json_deserialize_sql(j) END AS s
  FROM (SELECT json_serialize_sql(?::VARCHAR) AS j))`;

// The check runs the same few statements for every query: each is prepared once per connection (a sandbox's, kept
// with it), so a check is one round trip into DuckDB (bind, execute, chunks read in memory) instead of five
// (extract, prepare, execute, two fetches). A sandbox's connection runs one job at a time, so a statement is never
// bound twice at once.
const kept = new WeakMap<DuckDBConnection, Map<string, Promise<DuckDBPreparedStatement>>>();

/** The first row of one of the check's statements, run with `value` as its one parameter. */
async function firstRow(conn: DuckDBConnection, sql: string, value: string): Promise<unknown[] | undefined> {
  let statements = kept.get(conn);
  if (!statements) {
    statements = new Map();
    kept.set(conn, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    const preparing = conn.prepare(sql);
    const owner = statements;
    // A failed prepare is not kept: the next check prepares again.
    preparing.catch(() => owner.delete(sql));
    owner.set(sql, preparing);
    statement = preparing;
  }
  const ready = await statement;
  ready.bindVarchar(1, value);
  return materializedRows(await ready.run())[0];
}

async function serialize(conn: DuckDBConnection, sql: string): Promise<JsonObject> {
  return parseExact(String((await firstRow(conn, SERIALIZE, sql))?.[0]));
}

/** Prints a tree back as SQL and parses that text again, in one statement. */
async function reprint(conn: DuckDBConnection, tree: JsonObject): Promise<Printed> {
  const [sql, serialized] = (await firstRow(conn, REPRINT, stringifyExact(tree))) ?? [];
  return { sql: String(sql), tree: parseExact(String(serialized)) };
}

interface Printed {
  sql: string;
  tree: JsonObject;
}

/**
 * Parses `sql`, prints the tree back and parses the printed text, in one statement: the first tree, and the printed
 * text with its tree (undefined when the first parse failed, whose tree then holds DuckDB's error).
 */
async function parseAndReprint(
  conn: DuckDBConnection,
  sql: string,
): Promise<{ tree: JsonObject; printed?: Printed }> {
  let row: unknown[] | undefined;
  try {
    row = await firstRow(conn, PARSE_AND_REPRINT, sql);
  } catch {
    // A tree DuckDB cannot print back: the check of the tree alone says why.
    return { tree: await serialize(conn, sql) };
  }
  const [first, printed, second] = row ?? [];
  const tree = parseExact(String(first));
  if (printed === null || printed === undefined) return { tree };
  return { tree, printed: { sql: String(printed), tree: parseExact(String(second)) } };
}

/**
 * The SQL the sandbox will run for a translated query: DuckDB's parser turns the query into a tree, which is checked
 * and rewritten (tree-check.ts) and printed back as SQL. That text is parsed and checked once more, and must need no
 * further rewrite, so the statement that runs is exactly one that passed the check (no gap between the parser the
 * check saw and the one that executes). Parsing, printing and parsing again take one statement; a tree the check
 * rewrote takes a second one to print the rewritten tree.
 */
export async function checkedSql(
  conn: DuckDBConnection,
  translated: TranslatedSql,
  inputTables: ReadonlySet<string>,
): Promise<string> {
  const parsed = await parseAndReprint(conn, translated.sql);
  const first = checkTree(parsed.tree, inputTables);
  const printed = first.rewrites === 0 ? parsed.printed : await reprint(conn, first.tree);
  if (!printed)
    throw new SqlNotAllowedError('The emulator could not check this query; simplify it or report the query');
  const second = checkTree(printed.tree, inputTables);
  if (second.rewrites > 0) {
    throw new SqlNotAllowedError('The emulator could not check this query; simplify it or report the query');
  }
  return printed.sql;
}
