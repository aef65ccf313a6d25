import { ALLOWED_FUNCTIONS, ALLOWED_TABLE_FUNCTIONS } from './allowed-functions.js';
import { SqlTranslationError } from './translate.js';

/** A node of DuckDB's serialized parse tree (`json_serialize_sql`). */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Schema of the sandbox holding the tables a query may read; the translator names them `input."<name>"`. */
export const INPUT_SCHEMA = 'input';

/** Expression classes user SQL may contain. PARAMETER, DEFAULT and anything DuckDB adds later are refused. */
const EXPRESSION_CLASSES = new Set([
  'BETWEEN',
  'CASE',
  'CAST',
  'COLLATE',
  'COLUMN_REF',
  'COMPARISON',
  'CONJUNCTION',
  'CONSTANT',
  'FUNCTION',
  'LAMBDA',
  'OPERATOR',
  'POSITIONAL_REFERENCE',
  'STAR',
  'SUBQUERY',
  'WINDOW',
]);
const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']);
/** Table references other than base tables and table functions, which get their own checks. */
const TABLE_REFS = new Set(['JOIN', 'SUBQUERY', 'EXPRESSION_LIST', 'EMPTY', 'EMPTY_FROM', 'PIVOT']);
/** Other tagged objects of a SELECT tree: result modifiers, ORDER BY directions and type details. */
const OTHER_NODES = new Set([
  'ORDER_MODIFIER',
  'LIMIT_MODIFIER',
  'LIMIT_PERCENT_MODIFIER',
  'DISTINCT_MODIFIER',
  'ORDER_DEFAULT',
  'ASCENDING',
  'DESCENDING',
  'DECIMAL_TYPE_INFO',
  'LIST_TYPE_INFO',
  'STRUCT_TYPE_INFO',
  'ARRAY_TYPE_INFO',
  'STRING_TYPE_INFO',
]);
/** Casts rewritten into range-checked BigQuery conversions (compat.ts). Not for TRY_CAST (SAFE_CAST). */
const CAST_REWRITES: Record<string, string> = { DATE: 'bq_date', TIMESTAMP: 'bq_timestamp' };

/** Thrown for SQL outside the sandbox's allow-lists; the message becomes the query's `errorMessage`. */
export class SqlNotAllowedError extends SqlTranslationError {}

/** The result of {@link checkTree}: the (rewritten) tree and how many nodes were rewritten. */
export interface CheckedTree {
  tree: JsonObject;
  rewrites: number;
}

/**
 * Checks a `json_serialize_sql` result against the sandbox's allow-lists and applies the dialect rewrites. Every
 * object of the tree is classified: expressions by class (functions by name), query nodes, table references (base
 * tables must be one of `inputTables` in the input schema, or a CTE in scope; table functions must be listed) and a
 * short list of modifier and type tags. Anything else, whatever wraps it, fails the query.
 */
export function checkTree(serialized: JsonObject, inputTables: ReadonlySet<string>): CheckedTree {
  if (serialized.error === true) {
    const message = String(serialized.error_message ?? 'the query could not be parsed');
    if (/Only SELECT statements/i.test(message)) {
      throw new SqlNotAllowedError(
        'Only queries (SELECT …) are supported; PIVOT and UNPIVOT work in the FROM clause (FROM t PIVOT (…))',
      );
    }
    throw new SqlNotAllowedError(`Syntax error: ${message}`);
  }
  const statements = serialized.statements;
  if (!Array.isArray(statements) || statements.length !== 1) {
    throw new SqlNotAllowedError('Only one statement is allowed per query');
  }
  const statement = statements[0] as JsonObject;
  if (Array.isArray(statement.named_param_map) && statement.named_param_map.length > 0) {
    throw new SqlNotAllowedError('Query parameters are not supported');
  }
  const walker = new Walker(inputTables);
  const node = walker.visit(statement.node ?? null, new Set()) as JsonObject;
  return { tree: { ...serialized, statements: [{ ...statement, node }] }, rewrites: walker.rewrites };
}

class Walker {
  rewrites = 0;
  constructor(private readonly inputTables: ReadonlySet<string>) {}

  visit(value: Json, scope: ReadonlySet<string>): Json {
    if (Array.isArray(value)) return value.map((v) => this.visit(v, scope));
    if (value === null || typeof value !== 'object') return value;
    if ('class' in value) return this.expression(value, scope);
    const type = value.type;
    if (typeof type !== 'string') return this.children(value, scope);
    if (QUERY_NODES.has(type)) return this.queryNode(value, scope);
    if (type === 'BASE_TABLE') return this.baseTable(value, scope);
    if (type === 'TABLE_FUNCTION') return this.tableFunction(value, scope);
    if (TABLE_REFS.has(type) || OTHER_NODES.has(type)) return this.children(value, scope);
    throw new SqlNotAllowedError(`${describeNode(type)} is not supported in emulator queries`);
  }

  children(value: JsonObject, scope: ReadonlySet<string>, skip?: string): JsonObject {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value))
      out[key] = key === skip ? child : this.visit(child, scope);
    return out;
  }

  /** CTEs are visible to the query that declares them and to later CTEs; a recursive CTE also to itself. */
  queryNode(node: JsonObject, outer: ReadonlySet<string>): JsonObject {
    const entries = ((node.cte_map as JsonObject | null)?.map ?? []) as JsonObject[];
    const scope = new Set(outer);
    const visited: JsonObject[] = [];
    for (const entry of entries) {
      const name = String(entry.key).toLowerCase();
      const cte = entry.value as JsonObject;
      const query = (cte.query as JsonObject | null)?.node as JsonObject | undefined;
      const recursive = query?.type === 'RECURSIVE_CTE_NODE' && String(query.cte_name).toLowerCase() === name;
      const inner = recursive ? new Set([...scope, name]) : scope;
      visited.push({ ...entry, value: this.visit(cte, inner) });
      scope.add(name);
    }
    const out = this.children(node, scope, 'cte_map');
    if (entries.length > 0) out.cte_map = { ...(node.cte_map as JsonObject), map: visited };
    return out;
  }

  baseTable(ref: JsonObject, scope: ReadonlySet<string>): JsonObject {
    const catalog = String(ref.catalog_name ?? '');
    const schema = String(ref.schema_name ?? '').toLowerCase();
    const table = String(ref.table_name ?? '');
    if (ref.at_clause)
      throw new SqlNotAllowedError('Time travel (AT …) is not supported in emulator queries');
    const isInput = catalog === '' && schema === INPUT_SCHEMA && this.inputTables.has(table);
    const isCte = catalog === '' && schema === '' && scope.has(table.toLowerCase());
    if (!isInput && !isCte) {
      const name = [catalog, schema, table].filter(Boolean).join('.');
      throw new SqlNotAllowedError(
        `Not found: Table ${name} was not found (reference tables as owner.dataset.table)`,
      );
    }
    return this.children(ref, scope);
  }

  tableFunction(ref: JsonObject, scope: ReadonlySet<string>): JsonObject {
    const fn = ref.function as JsonObject | null;
    const name = String(fn?.function_name ?? '').toLowerCase();
    if (!fn || fn.class !== 'FUNCTION' || !ALLOWED_TABLE_FUNCTIONS.has(name) || !unqualified(fn)) {
      throw new SqlNotAllowedError(`Table-valued function not found: ${String(fn?.function_name ?? '?')}`);
    }
    return { ...this.children(ref, scope, 'function'), function: this.children(fn, scope) };
  }

  expression(expr: JsonObject, scope: ReadonlySet<string>): Json {
    const cls = String(expr.class);
    if (!EXPRESSION_CLASSES.has(cls)) {
      throw new SqlNotAllowedError(`${describeNode(cls)} expressions are not supported in emulator queries`);
    }
    if (cls === 'FUNCTION' || cls === 'WINDOW') {
      const name = String(expr.function_name ?? '').toLowerCase();
      if (!ALLOWED_FUNCTIONS.has(name) || !unqualified(expr)) {
        throw new SqlNotAllowedError(`Function not found: ${String(expr.function_name)}`);
      }
    }
    const out = this.children(expr, scope);
    if (cls === 'FUNCTION' && out.function_name === '/' && out.is_operator === true) {
      this.rewrites++;
      return { ...out, function_name: 'bq_divide', is_operator: false };
    }
    const castTo =
      cls === 'CAST' && out.try_cast !== true ? (out.cast_type as JsonObject | null)?.id : undefined;
    const macro = typeof castTo === 'string' ? CAST_REWRITES[castTo] : undefined;
    if (macro) {
      this.rewrites++;
      return functionCall(macro, [out.child ?? null], out);
    }
    return out;
  }
}

/** Functions must resolve in the default schema: no catalog, no schema other than `main`. */
function unqualified(fn: JsonObject): boolean {
  const schema = String(fn.schema ?? '').toLowerCase();
  return String(fn.catalog ?? '') === '' && (schema === '' || schema === 'main');
}

function functionCall(name: string, children: Json[], like: JsonObject): JsonObject {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias: like.alias ?? '',
    query_location: like.query_location ?? null,
    function_name: name,
    schema: '',
    catalog: '',
    children,
    filter: null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct: false,
    is_operator: false,
    export_state: false,
  };
}

function describeNode(tag: string): string {
  const words: Record<string, string> = {
    SHOW_REF: 'DESCRIBE, SHOW and SUMMARIZE',
    PARAMETER: 'Query parameter',
    DEFAULT: 'DEFAULT',
  };
  return words[tag] ?? `SQL construct ${tag}`;
}
