import type { SqlValue } from '../store/db.js';
import type { SchemaColumn, UploadOptions, UploadType } from '../store/uploads.js';
import { duckdbStorageType } from '../store/duckdb-types.js';

/** A DuckDB table function call reading an upload's file, with its bound parameters. */
export interface SourceRelation {
  sql: string;
  params: SqlValue[];
}

/** A SQL string literal (DuckDB literals take no backslash escapes: doubling quotes is the whole grammar). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `{'a': 'BIGINT', …}`: an explicit column list for read_csv / read_json. Names are validated identifiers. */
function columnsStruct(schema: readonly SchemaColumn[]): string {
  return `{${schema.map((c) => `${sqlString(c.name)}: ${sqlString(duckdbStorageType(c.type))}`).join(', ')}}`;
}

/** Extra read_csv settings: sniff every row instead of a sample (the retry after a late type mismatch). */
export interface DelimitedRead {
  fullSample?: boolean;
}

/** `read_csv` with every option the upload set; unset options are left to DuckDB's sniffer. */
export function delimitedSource(path: string, o: UploadOptions, read: DelimitedRead = {}): SourceRelation {
  const params: SqlValue[] = [path];
  const args: string[] = ['$1'];
  const bind = (name: string, value: SqlValue) => {
    params.push(value);
    args.push(`${name} = $${params.length}`);
  };
  bind('header', o.hasHeaderRow);
  if (o.delimiter !== null) bind('delim', o.delimiter);
  if (o.quoteCharacter !== null) bind('quote', o.quoteCharacter);
  if (o.escapeCharacter !== null) bind('escape', o.escapeCharacter);
  if (o.allowJaggedRows) bind('null_padding', true);
  if (o.compression) bind('compression', o.compression);
  // DuckDB cannot bind a list parameter here; the markers are literals built by sqlString.
  if (o.nullMarkers?.length) args.push(`nullstr = [${o.nullMarkers.map(sqlString).join(', ')}]`);
  if (o.schema) args.push(`columns = ${columnsStruct(o.schema)}`);
  if (o.skipBadRecords) args.push('store_rejects = true');
  if (read.fullSample) args.push('sample_size = -1');
  return { sql: `read_csv(${args.join(', ')})`, params };
}

/** `read_json` for NDJSON / JSON files (and the NDJSON the converters write), optionally with explicit columns. */
export function jsonSource(
  path: string,
  format: 'newline_delimited' | 'auto',
  compression: 'gzip' | null,
  schema?: readonly SchemaColumn[],
): SourceRelation {
  const args = ['$1', `format = ${sqlString(format)}`];
  if (compression) args.push(`compression = ${sqlString(compression)}`);
  if (schema?.length) args.push(`columns = ${columnsStruct(schema)}`);
  return { sql: `read_json(${args.join(', ')})`, params: [path] };
}

/** `read_parquet`. */
export function parquetSource(path: string): SourceRelation {
  return { sql: 'read_parquet($1)', params: [path] };
}

/** Which reader a type uses once converters have run. */
export function readerOf(type: UploadType): 'csv' | 'json' | 'parquet' | 'converted' | 'none' {
  if (type === 'delimited') return 'csv';
  if (type === 'ndjson' || type === 'json') return 'json';
  if (type === 'parquet') return 'parquet';
  if (type === 'stream') return 'none';
  return 'converted';
}
