import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import type { ListColumn } from '../sql/list-rows.js';
import type { VariableType } from '@redivis-ts/core';

/** A readable column: stored name and Redivis type. */
export interface NamedColumn {
  name: string;
  type: VariableType;
}

/**
 * Picks `selected` variables (case-insensitive, in the caller's order) out of `columns`; every column when
 * `selected` is undefined. Unknown or repeated names are a 400.
 */
export function selectColumns(
  columns: readonly NamedColumn[],
  selected: readonly string[] | undefined,
): NamedColumn[] {
  if (selected === undefined) return [...columns];
  const seen = new Set<string>();
  return selected.map((name) => {
    const key = name.toLowerCase();
    const column = columns.find((c) => c.name.toLowerCase() === key);
    if (!column) throw badRequest(`Variable "${name}" does not exist`);
    if (seen.has(key)) throw badRequest(`Variable "${name}" is selected more than once`);
    seen.add(key);
    return column;
  });
}

/** Parses a non-negative integer parameter (JSON number or numeric string); undefined when absent. */
export function nonNegativeInteger(value: unknown, label: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw badRequest(`${label} must be a non-negative integer`);
  }
  return n;
}

/** Output formats of the rows endpoints: the documented NDJSON and CSV, and the Arrow IPC stream the JS client reads. */
export type ListRowsFormat = 'ndjson' | 'csv' | 'arrow';

/**
 * The `selectedVariables` query parameter: repeated (`selectedVariables=a&selectedVariables=b`, the JS client and
 * Python's `requests`), comma-separated (`a,b`, the docs), or both; undefined when absent. An empty name is a 400.
 */
export function selectedVariablesParam(c: Context<AppEnv>): string[] | undefined {
  const values = c.req.queries('selectedVariables');
  if (values === undefined) return undefined;
  const names = values.flatMap((v) => v.split(',')).map((s) => s.trim());
  if (names.some((n) => n === '')) throw badRequest('selectedVariables must not contain an empty name');
  return names;
}

/**
 * The listRows query parameters (spec §5.8.5; client-libraries §6): `format` (`ndjson`, its alias `json`, `csv`,
 * `arrow`), `selectedVariables`, `maxResults`.
 */
export function parseListRowsParams(
  c: Context<AppEnv>,
  columns: readonly NamedColumn[],
): { columns: ListColumn[]; maxResults?: number; format: ListRowsFormat } {
  const format = c.req.query('format') ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'csv' && format !== 'json' && format !== 'arrow') {
    throw badRequest(`format must be ndjson, csv or arrow, not "${format}"`);
  }
  const maxResults = nonNegativeInteger(c.req.query('maxResults'), 'maxResults');
  return {
    columns: selectColumns(columns, selectedVariablesParam(c)).map((col) => ({
      column: col.name,
      name: col.name,
      type: col.type,
    })),
    format: format === 'json' ? 'ndjson' : format,
    ...(maxResults === undefined ? {} : { maxResults }),
  };
}
