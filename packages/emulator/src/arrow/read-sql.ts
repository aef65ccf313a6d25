import { DUCKDB_STORAGE_TYPE, type RedivisType } from './types.js';

/** Quotes a DuckDB identifier ("a""b"). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A stored column to read: its DuckDB column name, the name to give it, and its Redivis type. */
export interface ReadSqlColumn {
  /** Column name in the DuckDB data table. */
  column: string;
  /** Output name (the variable name); defaults to `column`. */
  name?: string;
  /** Redivis type; the column is cast to its storage type so the Arrow writer sees one layout per type. */
  type: RedivisType;
}

/** The row window of a read: rows [offset, offset + limit) in storage (insertion) order. */
export interface ReadRange {
  offset: number;
  /** Omitted = to the end. */
  limit?: number;
}

/**
 * SQL reading a row window of a stored table with the given columns in order. DuckDB keeps insertion order for plain
 * scans (`preserve_insertion_order`, on by default), which is what makes `OFFSET` a stable resume point and lets
 * disjoint windows partition a table exactly.
 */
export function buildReadSql(relation: string, columns: readonly ReadSqlColumn[], range: ReadRange): string {
  const select = columns
    .map(
      (c) =>
        `CAST(${quoteIdent(c.column)} AS ${DUCKDB_STORAGE_TYPE[c.type]}) AS ${quoteIdent(c.name ?? c.column)}`,
    )
    .join(', ');
  const limit = range.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(range.limit))}`;
  const offset = range.offset > 0 ? ` OFFSET ${Math.floor(range.offset)}` : '';
  return `SELECT ${select || 'NULL'} FROM ${relation}${limit}${offset}`;
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
