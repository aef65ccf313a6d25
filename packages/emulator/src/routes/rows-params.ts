import type { Context } from 'hono';
import type { RedivisType } from '../arrow/types.js';
import type { AppEnv } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import type { ListColumn } from '../sql/list-rows.js';

/** A readable column: stored name and Redivis type. */
export interface NamedColumn {
  name: string;
  type: RedivisType;
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

/** The listRows query parameters (spec §5.8.5): `format`, `selectedVariables` (comma-separated), `maxResults`. */
export function parseListRowsParams(
  c: Context<AppEnv>,
  columns: readonly NamedColumn[],
): { columns: ListColumn[]; maxResults?: number; format: 'ndjson' | 'csv' } {
  const format = c.req.query('format') ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'csv' && format !== 'json') {
    throw badRequest(`format must be ndjson or csv, not "${format}"`);
  }
  const selectedParam = c.req.query('selectedVariables');
  const selected = selectedParam === undefined ? undefined : selectedParam.split(',').map((s) => s.trim());
  const maxResults = nonNegativeInteger(c.req.query('maxResults'), 'maxResults');
  return {
    columns: selectColumns(columns, selected).map((col) => ({
      column: col.name,
      name: col.name,
      type: col.type,
    })),
    format: format === 'csv' ? 'csv' : 'ndjson',
    ...(maxResults === undefined ? {} : { maxResults }),
  };
}
