import { quoteIdent } from '../store/identifiers.js';
import { literalSql, numericTypeSql } from './dialect-tokens.js';
import { isKeyword, isTrivia, SqlSyntaxError, type Token, tokenize } from './tokenizer.js';

/** A table reference found in a table position (after FROM / JOIN / a comma of a FROM list). */
export interface SqlTableRef {
  /** The reference as written, without backticks: 'demo.iris_species:v1_0.iris', 'iris_species.iris', 'iris'. */
  reference: string;
  /** `reference` split on dots: 1 part (table, needs a default), 2 (container.table) or 3 (owner.container.table). */
  parts: string[];
  /** Character offset in the original SQL. */
  position: number;
}

/**
 * Resolves a reference to the DuckDB relation (a quoted identifier) holding its data, or throws an error that the
 * caller reports as the query's failure (unknown table, no access, …).
 */
export type TableResolver = (ref: SqlTableRef) => Promise<string> | string;

/** The DuckDB SQL for a Redivis query, and the tables it reads. */
export interface TranslatedSql {
  sql: string;
  tables: { ref: SqlTableRef; relation: string }[];
}

/** Thrown for SQL the emulator will not run (not a query, several statements, file access, parameters, …). */
export class SqlTranslationError extends Error {
  override readonly name = 'SqlTranslationError';
}

const STATEMENT_STARTS = ['SELECT', 'WITH', 'FROM', 'VALUES'];
const FROM_LIST_ENDS = [
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'WINDOW',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'SELECT',
  'PIVOT',
  'UNPIVOT',
];
/** Words that may follow a table and are not an implicit alias. */
const NOT_ALIAS = new Set([
  ...FROM_LIST_ENDS,
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'NATURAL',
  'POSITIONAL',
  'ASOF',
  'ANTI',
  'SEMI',
  'ON',
  'USING',
  'FOR',
  'TABLESAMPLE',
  'FETCH',
]);
/** Table-valued functions that only compute rows (no files, catalogs or metadata), allowed in FROM. */
const SAFE_TABLE_FUNCTIONS = ['UNNEST', 'RANGE', 'GENERATE_SERIES'];
/** BigQuery names DuckDB spells differently; the rest of the mapping is done with macros (see compat.ts). */
const WORD_RENAMES: Record<string, string> = {
  SAFE_CAST: 'TRY_CAST',
  FLOAT64: 'DOUBLE',
};

/**
 * Translates Redivis SQL (BigQuery dialect with Redivis table references) into DuckDB SQL: table references in table
 * positions are replaced by the relations `resolve` returns (keeping the table name as the implicit alias),
 * backtick identifiers become double-quoted identifiers, BigQuery string literals become DuckDB ones, and a few
 * BigQuery spellings are mapped. Works on tokens, so text inside strings and comments is never rewritten.
 */
export async function translateSql(sql: string, resolve: TableResolver): Promise<TranslatedSql> {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError)
      throw new SqlTranslationError(`Syntax error: ${error.message} at [${lineCol(sql, error.position)}]`);
    throw error;
  }
  checkSingleQuery(tokens, sql);
  const ctes = collectCteNames(tokens);
  const refs = findTableRefs(tokens, sql, ctes);

  const tables: TranslatedSql['tables'] = [];
  const relations = new Map<string, string>();
  for (const found of refs.values()) {
    const key = found.ref.reference.toLowerCase();
    let relation = relations.get(key);
    if (relation === undefined) {
      relation = await resolve(found.ref);
      relations.set(key, relation);
      tables.push({ ref: found.ref, relation });
    }
    found.relation = relation;
  }

  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const found = refs.get(i);
    if (found) {
      out += found.relation;
      if (found.needsAlias) out += ` AS ${quoteIdent(found.alias)}`;
      i = found.lastToken;
      continue;
    }
    const numeric = numericTypeSql(tokens, i);
    if (numeric) {
      out += numeric.sql;
      i = numeric.last;
      continue;
    }
    out += emitToken(token, sql);
  }
  return { sql: out, tables };
}

function emitToken(token: Token, sql: string): string {
  switch (token.kind) {
    case 'backtick':
      return quoteIdent(token.value ?? '');
    case 'string':
      return literalSql(token);
    case 'comment':
      return token.text.startsWith('#') ? `--${token.text.slice(1)}` : token.text;
    case 'param':
      throw new SqlTranslationError(
        `Query parameters are not supported (${token.text}) at [${lineCol(sql, token.start)}]`,
      );
    case 'word': {
      const upper = token.text.toUpperCase();
      return WORD_RENAMES[upper] ?? token.text;
    }
    default:
      return token.text;
  }
}

interface FoundRef {
  ref: SqlTableRef;
  lastToken: number;
  needsAlias: boolean;
  alias: string;
  relation: string;
}

/** Finds table references in table positions, keyed by their first token index. */
function findTableRefs(tokens: Token[], sql: string, ctes: Set<string>): Map<number, FoundRef> {
  const refs = new Map<number, FoundRef>();
  const fromList: boolean[] = [false];
  let tablePosition = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isTrivia(token)) continue;
    if (tablePosition) {
      tablePosition = false;
      if (isKeyword(token, 'LATERAL')) {
        tablePosition = true;
        continue;
      }
      if (token.kind === 'string') {
        throw new SqlTranslationError(
          `Expected a table reference, found a string at [${lineCol(sql, token.start)}]`,
        );
      }
      if (token.kind === 'word' || token.kind === 'backtick') {
        const path = readPath(tokens, i);
        const isCall = nextSignificant(tokens, path.lastToken)?.text === '(';
        if (isCall) {
          if (!isKeyword(token, ...SAFE_TABLE_FUNCTIONS)) {
            throw new SqlTranslationError(
              `Table-valued function not found: ${path.text} at [${lineCol(sql, token.start)}]`,
            );
          }
        } else if (!(path.parts.length === 1 && ctes.has((path.parts[0] as string).toLowerCase()))) {
          refs.set(i, makeRef(path, tokens, token.start, sql));
          i = path.lastToken;
          continue;
        }
      }
    }
    if (token.text === '(') fromList.push(false);
    else if (token.text === ')') {
      if (fromList.length > 1) fromList.pop();
    } else if (isKeyword(token, 'FROM')) {
      fromList[fromList.length - 1] = true;
      tablePosition = true;
    } else if (isKeyword(token, 'JOIN')) {
      tablePosition = true;
    } else if (token.text === ',' && fromList[fromList.length - 1]) {
      tablePosition = true;
    } else if (isKeyword(token, ...FROM_LIST_ENDS)) {
      fromList[fromList.length - 1] = false;
    }
  }
  return refs;
}

interface Path {
  text: string;
  parts: string[];
  lastToken: number;
}

/**
 * Reads a dotted path written without spaces: `demo.iris_species:v1_0.iris`, `` `demo.iris_species.iris` ``,
 * `` `demo`.`iris species`.iris ``, `demo.iris_species:7br5.iris:x1y2` (reference ids may start with digits, which
 * tokenize as numbers, so the path is the concatenation of adjacent tokens rather than a token pattern).
 */
function readPath(tokens: Token[], start: number): Path {
  let text = '';
  let last = start;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'backtick') text += t.value;
    else if (t.kind === 'word' || t.kind === 'number' || t.text === ':' || t.text === '.') text += t.text;
    else break;
    last = i;
  }
  return { text, parts: text.split('.'), lastToken: last };
}

function makeRef(path: Path, tokens: Token[], position: number, sql: string): FoundRef {
  if (path.parts.length > 3 || path.parts.some((p) => p.trim() === '')) {
    throw new SqlTranslationError(`Invalid table reference "${path.text}" at [${lineCol(sql, position)}]`);
  }
  const next = nextSignificant(tokens, path.lastToken);
  const hasAlias =
    next !== undefined &&
    (isKeyword(next, 'AS') ||
      next.kind === 'backtick' ||
      (next.kind === 'word' && !NOT_ALIAS.has(next.text.toUpperCase())));
  const tableName = (path.parts[path.parts.length - 1] as string).split(':')[0] as string;
  return {
    ref: { reference: path.text, parts: path.parts, position },
    lastToken: path.lastToken,
    needsAlias: !hasAlias,
    alias: tableName,
    relation: '',
  };
}

/** Names defined by WITH clauses at any depth: they are not Redivis tables. */
function collectCteNames(tokens: Token[]): Set<string> {
  const names = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isKeyword(tokens[i], 'WITH')) continue;
    let j = nextSignificantIndex(tokens, i);
    if (isKeyword(tokens[j], 'RECURSIVE')) j = nextSignificantIndex(tokens, j);
    while (j < tokens.length) {
      const name = tokens[j] as Token;
      if (name.kind !== 'word' && name.kind !== 'backtick') break;
      names.add((name.kind === 'backtick' ? (name.value ?? '') : name.text).toLowerCase());
      j = nextSignificantIndex(tokens, j);
      if (tokens[j]?.text === '(') j = nextSignificantIndex(tokens, skipParens(tokens, j));
      if (!isKeyword(tokens[j], 'AS')) break;
      j = nextSignificantIndex(tokens, j);
      while (isKeyword(tokens[j], 'NOT', 'MATERIALIZED')) j = nextSignificantIndex(tokens, j);
      if (tokens[j]?.text !== '(') break;
      j = nextSignificantIndex(tokens, skipParens(tokens, j));
      if (tokens[j]?.text !== ',') break;
      j = nextSignificantIndex(tokens, j);
    }
  }
  return names;
}

/** Index of the `)` closing the `(` at `open`. */
function skipParens(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const text = (tokens[i] as Token).text;
    if (text === '(') depth++;
    else if (text === ')' && --depth === 0) return i;
  }
  return tokens.length;
}

function checkSingleQuery(tokens: Token[], sql: string): void {
  const significant = tokens.filter((t) => !isTrivia(t));
  while (significant.length > 0 && significant[significant.length - 1]?.text === ';') significant.pop();
  const first = significant[0];
  if (!first) throw new SqlTranslationError('The query is empty');
  const semicolon = significant.find((t) => t.text === ';');
  if (semicolon) {
    throw new SqlTranslationError(
      `Only one statement is allowed per query at [${lineCol(sql, semicolon.start)}]`,
    );
  }
  if (!(first.text === '(' || isKeyword(first, ...STATEMENT_STARTS))) {
    throw new SqlTranslationError(
      `Only queries (SELECT, WITH …) are supported; found "${first.text}" at [${lineCol(sql, first.start)}]`,
    );
  }
}

function nextSignificantIndex(tokens: Token[], i: number): number {
  let j = i + 1;
  while (j < tokens.length && isTrivia(tokens[j] as Token)) j++;
  return j;
}

function nextSignificant(tokens: Token[], i: number): Token | undefined {
  return tokens[nextSignificantIndex(tokens, i)];
}

/** BigQuery-style `line:column` (1-based) of a character offset. */
export function lineCol(sql: string, position: number): string {
  const before = sql.slice(0, position).split('\n');
  return `${before.length}:${(before[before.length - 1]?.length ?? 0) + 1}`;
}
