import { quoteIdent } from '../store/identifiers.js';
import { duckdbStorageType } from '../store/duckdb-types.js';
import type { VariableType } from '@redivis-ts/core';

/** A stored column to read: its DuckDB column name, the name to give it, and its Redivis type. */
export interface ReadSqlColumn {
  /** Column name in the DuckDB data table. */
  column: string;
  /** Output name (the variable name); defaults to `column`. */
  name?: string;
  /** Redivis type; the column is cast to its storage type so the Arrow writer sees one layout per type. */
  type: VariableType;
}

/** The row window of a read: rows [offset, offset + limit) in storage (insertion) order. */
export interface ReadRange {
  offset: number;
  /** Omitted = to the end. */
  limit?: number;
}

/**
 * SQL reading a row window of a stored table with the given columns in order. DuckDB keeps insertion order for plain
 * scans (`preserve_insertion_order`, on by default), which is what makes the window a stable resume point and lets
 * disjoint windows partition a table exactly.
 *
 * With `rowidBase` (the first rowid of a table whose rowids are dense, see {@link denseRowidBase}) the window becomes
 * a rowid range, which DuckDB pushes into the scan: reading the last rows of a large table costs what reading the
 * first rows does. Without it the window is `LIMIT`/`OFFSET`, which scans and discards the skipped rows.
 */
export function buildReadSql(
  relation: string,
  columns: readonly ReadSqlColumn[],
  range: ReadRange,
  rowidBase?: number,
): string {
  const select = columns
    .map(
      (c) =>
        `CAST(${quoteIdent(c.column)} AS ${duckdbStorageType(c.type)}) AS ${quoteIdent(c.name ?? c.column)}`,
    )
    .join(', ');
  const offset = Math.max(0, Math.floor(range.offset));
  const limit = range.limit === undefined ? undefined : Math.max(0, Math.floor(range.limit));
  if (rowidBase !== undefined) {
    const from = rowidBase + offset;
    const to = limit === undefined ? '' : ` AND rowid < ${from + limit}`;
    return `SELECT ${select || 'NULL'} FROM ${relation} WHERE rowid >= ${from}${to}`;
  }
  const limitSql = limit === undefined ? '' : ` LIMIT ${limit}`;
  const offsetSql = offset > 0 ? ` OFFSET ${offset}` : '';
  return `SELECT ${select || 'NULL'} FROM ${relation}${limitSql}${offsetSql}`;
}

/** SQL returning `n`, `lo`, `hi`: the row count and rowid bounds of a relation, for {@link denseRowidBase}. */
export function rowidBoundsSql(relation: string): string {
  return `SELECT count(*) AS n, min(rowid) AS lo, max(rowid) AS hi FROM ${relation}`;
}

/** The first rowid when a relation's rowids are dense (no deleted rows in between), else undefined. */
export function denseRowidBase(bounds: {
  n: number;
  lo: number | null;
  hi: number | null;
}): number | undefined {
  if (bounds.n === 0) return 0;
  if (bounds.lo === null || bounds.hi === null) return undefined;
  return bounds.hi - bounds.lo + 1 === bounds.n ? bounds.lo : undefined;
}

/**
 * Splits `total` rows into at most `count` contiguous windows of near-equal size (never an empty window unless the
 * table is empty, in which case one empty window), so that streams together return every row exactly once.
 */
export function partitionRows(total: number, count: number): ReadRange[] {
  const n = Math.max(1, Math.min(Math.floor(count), total));
  const base = Math.floor(total / n);
  const extra = total % n;
  const ranges: ReadRange[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const limit = base + (i < extra ? 1 : 0);
    ranges.push({ offset, limit });
    offset += limit;
  }
  return ranges;
}
