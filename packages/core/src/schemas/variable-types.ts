/**
 * The Redivis variable types and the plain facts every package derives its mappings from (the Arrow type a read
 * streams, the DuckDB column the emulator stores, the bytes `numBytes` counts, which types a parameter may have).
 * Core owns this table so that no other package keeps its own list: arrow builds Arrow types from `arrow`, the
 * emulator builds its storage columns from `duckdb` and its sizes from `bytesPerValue`.
 *
 * @module
 */

/** Every Redivis variable type, in documentation order (rest-api.md §2.8; `time` appears in query outputs). */
export const VARIABLE_TYPES = [
  'boolean',
  'integer',
  'float',
  'string',
  'date',
  'dateTime',
  'time',
  'geography',
] as const;

/** One of the Redivis variable types; see {@link VARIABLE_TYPES}. */
export type VariableType = (typeof VARIABLE_TYPES)[number];

/**
 * Arrow types a Redivis read can carry, named as pyarrow prints them (client-libraries.md §3.6). Core names them as
 * strings so it never imports apache-arrow; `@redivis-ts/arrow` turns each into an Arrow `DataType`.
 */
export type ArrowTypeName =
  | 'int64'
  | 'float64'
  | 'bool'
  | 'date32[day]'
  | 'timestamp[us]'
  | 'time64[us]'
  | 'string';

/** DuckDB column types the emulator stores each Redivis type as. */
export type DuckDBStorageType = 'BIGINT' | 'DOUBLE' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'TIME' | 'VARCHAR';

/**
 * What kind of value a type holds, for code that treats kinds alike (statistics: numbers get mean and median,
 * temporal values a min and max as text, geography a bounding box).
 */
export type VariableTypeKind = 'boolean' | 'numeric' | 'text' | 'temporal' | 'geography';

/** What every package needs to know about one variable type. */
export interface VariableTypeFacts {
  /** The kind of value; see {@link VariableTypeKind}. */
  readonly kind: VariableTypeKind;
  /** The Arrow type of the type's column in a read (time zone-less timestamps; geography as WKT text). */
  readonly arrow: ArrowTypeName;
  /** The DuckDB column type the emulator stores the type as. */
  readonly duckdb: DuckDBStorageType;
  /**
   * Bytes each non-null value counts in `numBytes`, as BigQuery (which Redivis reports) counts them: 8 for the
   * numeric and temporal types, 1 for a boolean, 2 plus the UTF-8 length for text (see {@link addsUtf8Length}).
   * Geography counts as its WKT text, a documented simplification of BigQuery's per-vertex size.
   */
  readonly bytesPerValue: number;
  /** Whether a value's UTF-8 byte length is added to {@link bytesPerValue} (strings and geography). */
  readonly addsUtf8Length: boolean;
  /** Whether a workflow parameter may have this type (every type but geography). */
  readonly parameter: boolean;
}

/** The facts of each Redivis variable type; see {@link VariableTypeFacts}. */
export const VARIABLE_TYPE_FACTS: Readonly<Record<VariableType, VariableTypeFacts>> = {
  boolean: {
    kind: 'boolean',
    arrow: 'bool',
    duckdb: 'BOOLEAN',
    bytesPerValue: 1,
    addsUtf8Length: false,
    parameter: true,
  },
  integer: {
    kind: 'numeric',
    arrow: 'int64',
    duckdb: 'BIGINT',
    bytesPerValue: 8,
    addsUtf8Length: false,
    parameter: true,
  },
  float: {
    kind: 'numeric',
    arrow: 'float64',
    duckdb: 'DOUBLE',
    bytesPerValue: 8,
    addsUtf8Length: false,
    parameter: true,
  },
  string: {
    kind: 'text',
    arrow: 'string',
    duckdb: 'VARCHAR',
    bytesPerValue: 2,
    addsUtf8Length: true,
    parameter: true,
  },
  date: {
    kind: 'temporal',
    arrow: 'date32[day]',
    duckdb: 'DATE',
    bytesPerValue: 8,
    addsUtf8Length: false,
    parameter: true,
  },
  dateTime: {
    kind: 'temporal',
    arrow: 'timestamp[us]',
    duckdb: 'TIMESTAMP',
    bytesPerValue: 8,
    addsUtf8Length: false,
    parameter: true,
  },
  time: {
    kind: 'temporal',
    arrow: 'time64[us]',
    duckdb: 'TIME',
    bytesPerValue: 8,
    addsUtf8Length: false,
    parameter: true,
  },
  geography: {
    kind: 'geography',
    arrow: 'string',
    duckdb: 'VARCHAR',
    bytesPerValue: 2,
    addsUtf8Length: true,
    parameter: false,
  },
};

/** The types a workflow parameter may have, in {@link VARIABLE_TYPES} order. */
export const PARAMETER_TYPES: readonly VariableType[] = VARIABLE_TYPES.filter(
  (t) => VARIABLE_TYPE_FACTS[t].parameter,
);

/**
 * Whether a string names a Redivis variable type (exact spelling, as the API writes it).
 *
 * @param value - Any string, e.g. from a request body.
 */
export function isVariableType(value: unknown): value is VariableType {
  return typeof value === 'string' && Object.hasOwn(VARIABLE_TYPE_FACTS, value);
}
