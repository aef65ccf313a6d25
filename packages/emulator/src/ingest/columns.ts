import { quoteIdent } from '../store/identifiers.js';
import { duckdbStorageType, variableTypeOfDuckDB } from '../store/duckdb-types.js';
import type { VariableType } from '@redivis-ts/core';

/** A column of a parsed file: its name in the source and the Redivis variable it becomes. */
export interface SourceColumn {
  /** Name as the reader reports it (quoted in SQL, never trusted as an identifier). */
  source: string;
  /** Variable name: letters, digits and underscores, unique case-insensitively. */
  name: string;
  type: VariableType;
  /** SQL expression turning the source column into the variable's storage type. */
  expr: string;
}

/**
 * The variable type a DuckDB column type maps to ({@link variableTypeOfDuckDB}), and the cast that brings the
 * column to that type's storage type: zoned timestamps in UTC, blobs as base64, nested values as JSON text.
 */
function mapType(duckType: string, col: string): { type: VariableType; expr: string } {
  const type = variableTypeOfDuckDB(duckType);
  const t = duckType.toUpperCase();
  const storage = duckdbStorageType(type);
  if (t === storage) return { type, expr: col };
  if (t === 'TIMESTAMP WITH TIME ZONE') return { type, expr: `timezone('UTC', ${col})` };
  if (t === 'BLOB') return { type, expr: `base64(${col})` };
  if (
    t.endsWith(']') ||
    t.startsWith('STRUCT') ||
    t.startsWith('MAP') ||
    t === 'JSON' ||
    t.startsWith('UNION')
  ) {
    return { type, expr: `CAST(to_json(${col}) AS VARCHAR)` };
  }
  return { type, expr: `CAST(${col} AS ${storage})` };
}

/**
 * Variable names follow Redivis' rule (letters, digits, underscores; not starting with a digit): other characters
 * become `_`, an empty name becomes `column<i>`, and a name repeated case-insensitively gets `_2`, `_3`…
 */
export function variableNames(sources: readonly string[]): string[] {
  const taken = new Set<string>();
  return sources.map((raw, i) => {
    let name = raw.trim().replace(/[^A-Za-z0-9_]+/g, '_');
    if (name === '' || /^_+$/.test(name)) name = `column${i}`;
    if (/^[0-9]/.test(name)) name = `_${name}`;
    name = name.slice(0, 60);
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}_${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}

/** The columns of a reader's output (`DESCRIBE` rows), with their variable names, types and casts. */
export function sourceColumns(
  described: ReadonlyArray<{ column_name: string; column_type: string }>,
): SourceColumn[] {
  const names = variableNames(described.map((d) => d.column_name));
  return described.map((d, i) => {
    const col = quoteIdent(d.column_name);
    return { source: d.column_name, name: names[i] as string, ...mapType(d.column_type, col) };
  });
}

/** WKT as Redivis writes geography values; a string column whose every value matches becomes `geography`. */
const WKT = String.raw`^\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\s*(Z|M|ZM)?\s*(\(.*\)|EMPTY)\s*$`;

/**
 * The SELECT list that finds which of `columns` (string variables of `relation`) hold only WKT: one boolean per
 * column, true when it has at least one value and every value is WKT.
 */
export function geographyProbe(relation: string, columns: readonly string[]): string {
  const checks = columns.map(
    (c, i) =>
      `count(${quoteIdent(c)}) > 0 AND coalesce(bool_and(regexp_full_match(${quoteIdent(c)}, '${WKT}', 'si')), false) AS g${i}`,
  );
  return `SELECT ${checks.join(', ')} FROM ${relation}`;
}

/**
 * The SELECT list counting, per column of `relation`, the non-null values that are not WKT (columns a caller named
 * as geography: each count must be 0).
 */
export function wktViolations(relation: string, columns: readonly string[]): string {
  const counts = columns.map(
    (c, i) =>
      `count(*) FILTER (WHERE ${quoteIdent(c)} IS NOT NULL AND NOT regexp_full_match(${quoteIdent(c)}, '${WKT}', 'si')) AS v${i}`,
  );
  return `SELECT ${counts.join(', ')} FROM ${relation}`;
}

/** The common type of a variable that two uploads typed differently (Redivis widens rather than failing). */
export function widen(a: VariableType, b: VariableType): VariableType {
  if (a === b) return a;
  const pair = new Set([a, b]);
  if (pair.has('integer') && pair.has('float')) return 'float';
  if (pair.has('date') && pair.has('dateTime')) return 'dateTime';
  return 'string';
}
