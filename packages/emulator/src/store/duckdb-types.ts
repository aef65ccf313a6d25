import { DuckDBTypeId } from '@duckdb/node-api';
import {
  type DuckDBStorageType,
  VARIABLE_TYPE_FACTS,
  VARIABLE_TYPES,
  type VariableType,
} from '@redivis-ts/core';
import { quoteIdent } from './identifiers.js';

/**
 * The emulator's one mapping between Redivis types and DuckDB: storage types come from core's
 * `VARIABLE_TYPE_FACTS`, and every reader of DuckDB column types (DESCRIBE of an ingested file, a query's result
 * columns, a storage table) classifies them through {@link variableTypeOfDuckDB}.
 */

/** The DuckDB column type a variable of `type` is stored as (geography is WKT text). */
export function duckdbStorageType(type: VariableType): DuckDBStorageType {
  return VARIABLE_TYPE_FACTS[type].duckdb;
}

/** The DuckDB type id a streamed column of each Redivis type has (its storage type's id). */
export const DUCKDB_TYPE_ID: Readonly<Record<VariableType, DuckDBTypeId>> = Object.fromEntries(
  VARIABLE_TYPES.map((t) => [t, DuckDBTypeId[duckdbStorageType(t)]]),
) as Record<VariableType, DuckDBTypeId>;

const INTEGER =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INTEGER_LITERAL)$/;
const FLOAT = /^(FLOAT|DOUBLE|REAL|DECIMAL.*)$/;

/**
 * The Redivis type of a DuckDB column type as DuckDB prints it (`DESCRIBE`'s `column_type`, a result column's
 * `columnType(i).toString()`). Types Redivis has no equivalent for (intervals, blobs, lists, structs, …) are
 * strings; geography cannot be told from VARCHAR and needs an explicit override.
 *
 * @param typeName - e.g. `BIGINT`, `DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`.
 */
export function variableTypeOfDuckDB(typeName: string): VariableType {
  const t = typeName.toUpperCase();
  if (t === 'BOOLEAN') return 'boolean';
  if (INTEGER.test(t)) return 'integer';
  if (FLOAT.test(t)) return 'float';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'dateTime';
  if (t.startsWith('TIME')) return 'time';
  return 'string';
}

/** A stored column whose size counts toward `numBytes`. */
export interface SizedColumn {
  /** Column name in the relation. */
  column: string;
  /** Its Redivis type, which fixes the bytes each value counts. */
  type: VariableType;
}

/**
 * An aggregate SQL expression for the `numBytes` of a relation's rows, from core's byte facts: each non-null value
 * counts `bytesPerValue`, text adds its UTF-8 length. Tables, uploads and query outputs all measure with this, so a
 * table and a `SELECT *` of it report the same size.
 */
export function numBytesSql(columns: readonly SizedColumn[]): string {
  const terms = columns.map(({ column, type }) => {
    const facts = VARIABLE_TYPE_FACTS[type];
    const c = quoteIdent(column);
    return facts.addsUtf8Length
      ? `coalesce(sum(strlen(${c}) + ${facts.bytesPerValue}), 0)`
      : `count(${c}) * ${facts.bytesPerValue}`;
  });
  return terms.length ? terms.join(' + ') : '0';
}
