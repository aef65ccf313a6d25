import { DuckDBTypeId } from '@duckdb/node-api';
import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float64,
  Int64,
  Schema,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
} from 'apache-arrow';

/** The variable types of the Redivis data model (rest-api.md §2.8). */
export type RedivisType =
  | 'integer'
  | 'float'
  | 'boolean'
  | 'date'
  | 'dateTime'
  | 'time'
  | 'string'
  | 'geography';

/** Every Redivis variable type, in documentation order. */
export const REDIVIS_TYPES: readonly RedivisType[] = [
  'boolean',
  'integer',
  'float',
  'string',
  'date',
  'dateTime',
  'time',
  'geography',
];

/** One column of a read: its variable name and Redivis type. */
export interface ReadColumn {
  /** Variable name as it appears in the Arrow schema (the stored casing). */
  name: string;
  /** The Redivis type, which fixes both the Arrow type and the DuckDB storage type. */
  type: RedivisType;
}

/**
 * The DuckDB storage type for each Redivis type. Table data and query outputs are stored (or cast) to exactly these,
 * so the Arrow writer only ever sees seven physical layouts.
 */
export const DUCKDB_STORAGE_TYPE: Readonly<Record<RedivisType, string>> = {
  integer: 'BIGINT',
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  dateTime: 'TIMESTAMP',
  time: 'TIME',
  string: 'VARCHAR',
  geography: 'VARCHAR',
};

/** The DuckDB type id a streamed column of each Redivis type must have. */
export const DUCKDB_TYPE_ID: Readonly<Record<RedivisType, DuckDBTypeId>> = {
  integer: DuckDBTypeId.BIGINT,
  float: DuckDBTypeId.DOUBLE,
  boolean: DuckDBTypeId.BOOLEAN,
  date: DuckDBTypeId.DATE,
  dateTime: DuckDBTypeId.TIMESTAMP,
  time: DuckDBTypeId.TIME,
  string: DuckDBTypeId.VARCHAR,
  geography: DuckDBTypeId.VARCHAR,
};

/**
 * The Arrow type the official clients expect for each Redivis type (client-libraries.md §3.6): int64, float64, bool,
 * date32[day], timestamp[us] without a time zone, time64[us], and utf8 (geography as WKT).
 */
export function arrowTypeFor(type: RedivisType): DataType {
  switch (type) {
    case 'integer':
      return new Int64();
    case 'float':
      return new Float64();
    case 'boolean':
      return new Bool();
    case 'date':
      return new DateDay();
    case 'dateTime':
      return new TimestampMicrosecond();
    case 'time':
      return new TimeMicrosecond();
    case 'string':
    case 'geography':
      return new Utf8();
  }
}

/** The Arrow schema of a read: every field nullable, as pyarrow's variable-derived schema is. */
export function arrowSchemaFor(columns: readonly ReadColumn[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, arrowTypeFor(c.type), true)));
}

/**
 * Maps a DuckDB result column type to the Redivis type a query output column gets. Types Redivis has no
 * equivalent for (intervals, blobs, lists, structs, …) become strings through DuckDB's own text cast.
 */
export function redivisTypeForDuckDB(typeId: DuckDBTypeId): RedivisType {
  switch (typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.INTEGER_LITERAL:
      return 'integer';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return 'float';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'dateTime';
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.TIME_TZ:
      return 'time';
    default:
      return 'string';
  }
}
