import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlValue } from '../store/db.js';
import { quoteIdent } from '../store/identifiers.js';
import { storageTable } from '../store/schema.js';
import type { SchemaColumn, UploadOptions, UploadRow } from '../store/uploads.js';
import { convertAvro } from './avro.js';
import { geographyProbe, type SourceColumn, sourceColumns } from './columns.js';
import { duckdbStorageType } from '../store/duckdb-types.js';
import { convertGeoJson, convertGeoJsonl } from './geojson.js';
import { cleanNdjson, RecordSink } from './records.js';
import { delimitedSource, jsonSource, parquetSource, readerOf, type SourceRelation } from './sources.js';
import type { VariableType } from '@redivis-ts/core';

/** The parsed rows of an upload, in its own storage table, ready to merge. */
export interface StagedUpload {
  columns: Array<{ name: string; type: VariableType }>;
  numRows: number;
  badRecords: number;
}

/** Where a file upload's bytes and scratch files are. */
export interface StageFiles {
  data: string;
  /** A scratch file the converters may write (removed by the caller). */
  scratch: string;
}

async function rows<T>(conn: DuckDBConnection, sql: string, params?: readonly SqlValue[]): Promise<T[]> {
  const result = await conn.run(sql, params as SqlValue[] | undefined);
  const out = (await result.getRowObjectsJS()) as Record<string, unknown>[];
  for (const row of out) {
    for (const [k, v] of Object.entries(row)) if (typeof v === 'bigint') row[k] = Number(v);
  }
  return out as T[];
}

/** MD5 (hex) of a file, read as a stream. */
export async function md5File(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A DuckDB message without the internal file paths and the option dump DuckDB appends to CSV errors. */
export function cleanMessage(message: string, files: StageFiles, name: string): string {
  let text = message.split('\n\n')[0] ?? message;
  for (const path of [files.data, files.scratch]) text = text.replaceAll(path, name);
  return text.trim();
}

/** Converts formats DuckDB cannot read (Avro, GeoJSON, xlsx) or must pre-filter (NDJSON with skipBadRecords). */
async function convert(
  upload: UploadRow,
  options: UploadOptions,
  files: StageFiles,
): Promise<{ source: SourceRelation; badRecords: number }> {
  const sink = new RecordSink(files.scratch, options.skipBadRecords);
  let schema: SchemaColumn[] | undefined;
  try {
    if (upload.type === 'avro') schema = await convertAvro(files.data, sink);
    else if (upload.type === 'geojson') await convertGeoJson(files.data, sink);
    else if (upload.type === 'geojsonl') await convertGeoJsonl(files.data, sink);
    else if (upload.type === 'xlsx') {
      // exceljs takes most of a second to load: only xlsx uploads pay for it, not every emulator start.
      const { convertXlsx } = await import('./xlsx.js');
      schema = await convertXlsx(files.data, sink, options.hasHeaderRow);
    } else await cleanNdjson(files.data, sink);
    await sink.close();
  } catch (e) {
    sink.destroy();
    throw e;
  }
  if (sink.rows === 0) throw new Error('The file holds no records to import');
  return {
    source: jsonSource(files.scratch, 'newline_delimited', null, schema),
    badRecords: sink.badRecords,
  };
}

/** The delimiter a file's extension implies when none was given (DuckDB's sniffer guesses badly on ragged files). */
function impliedDelimiter(name: string): string | null {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  if (base.endsWith('.csv')) return ',';
  if (base.endsWith('.tsv') || base.endsWith('.tab')) return '\t';
  if (base.endsWith('.psv')) return '|';
  return null;
}

function sourceOf(upload: UploadRow, options: UploadOptions, files: StageFiles, fullSample = false) {
  const reader = readerOf(upload.type as never);
  if (reader === 'csv') {
    const delimiter = options.delimiter ?? impliedDelimiter(upload.name);
    return delimitedSource(files.data, { ...options, delimiter }, { fullSample });
  }
  if (reader === 'parquet') return parquetSource(files.data);
  return jsonSource(files.data, upload.type === 'ndjson' ? 'newline_delimited' : 'auto', options.compression);
}

/** Whether a failed read is a type mismatch after the sniffed sample (worth a retry that sniffs every row). */
function lateTypeMismatch(e: unknown): boolean {
  return /Conversion Error|Could not convert/i.test((e as Error).message ?? '');
}

/**
 * Parses an upload's file with DuckDB into the upload's storage table (variables named and typed as Redivis does:
 * canonical storage types, WKT columns as geography), counting bad records. Runs on its own connection, so the
 * metadata queue never waits for a parse.
 */
export async function stageFile(
  conn: DuckDBConnection,
  upload: UploadRow,
  options: UploadOptions,
  files: StageFiles,
): Promise<StagedUpload> {
  const reader = readerOf(upload.type as never);
  let badRecords = 0;
  let source: SourceRelation;
  if (
    reader === 'converted' ||
    (upload.type === 'ndjson' && options.skipBadRecords && !options.compression)
  ) {
    ({ source, badRecords } = await convert(upload, options, files));
  } else {
    source = sourceOf(upload, options, files);
  }
  const staging = storageTable(upload.storage);
  const create = async (s: SourceRelation) => {
    // The reader's rows go straight into the staging table: a DESCRIBE of the reader first would sniff the file a
    // second time (an eighth to a sixth of the parse in the ingest bench's profile); names and types are fixed after.
    const [created] = await rows<{ Count: number }>(
      conn,
      `CREATE TABLE ${staging} AS SELECT * FROM ${s.sql}`,
      s.params,
    );
    const described = await rows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${staging}`);
    const columns = sourceColumns(described);
    await conformColumns(conn, staging, columns);
    return { columns, numRows: created?.Count ?? 0 };
  };
  let staged: Awaited<ReturnType<typeof create>>;
  try {
    staged = await create(source);
  } catch (e) {
    // DuckDB sniffs types on a sample; a later value of another type is not a bad file, so sniff everything once.
    if (reader !== 'csv' || options.schema || options.skipBadRecords || !lateTypeMismatch(e)) throw e;
    await conn.run(`DROP TABLE IF EXISTS ${staging}`);
    staged = await create(sourceOf(upload, options, files, true));
  }
  const { columns } = staged;
  if (reader === 'csv' && options.skipBadRecords) {
    const [rejects] = await rows<{ n: number }>(
      conn,
      'SELECT count(DISTINCT (scan_id, file_id, line)) AS n FROM reject_errors',
    );
    badRecords += rejects?.n ?? 0;
  }
  const result = columns.map((c) => ({ name: c.name, type: c.type }));
  const strings = result.filter((c) => c.type === 'string' && !options.schema);
  if (strings.length) {
    const [probe] = await rows<Record<string, boolean>>(
      conn,
      geographyProbe(
        staging,
        strings.map((c) => c.name),
      ),
    );
    strings.forEach((c, i) => {
      if (probe?.[`g${i}`]) c.type = 'geography';
    });
  }
  if (options.schema) {
    for (const c of result) {
      const declared = options.schema.find((s) => s.name.toLowerCase() === c.name.toLowerCase());
      if (declared) c.type = declared.type;
    }
  }
  return { columns: result, numRows: staged.numRows, badRecords };
}

/**
 * Brings a staged reader's columns to their variables (see {@link sourceColumns}) in place: conversions rewrite only
 * the columns whose reader type is not a storage type (rare: zoned timestamps, blobs, nested values), renames
 * touch only the catalog. Renames go through fresh temporary names, because a column may take the name another one
 * still has (`a b` → `a_b` beside `a_b` → `a_b_2`).
 */
async function conformColumns(
  conn: DuckDBConnection,
  staging: string,
  columns: readonly SourceColumn[],
): Promise<void> {
  for (const c of columns) {
    if (c.expr === quoteIdent(c.source)) continue;
    await conn.run(
      `ALTER TABLE ${staging} ALTER COLUMN ${quoteIdent(c.source)} SET DATA TYPE ${duckdbStorageType(c.type)} USING ${c.expr}`,
    );
  }
  const renamed = columns.filter((c) => c.name !== c.source);
  const taken = new Set(columns.flatMap((c) => [c.source.toLowerCase(), c.name.toLowerCase()]));
  const temporary = renamed.map((_, i) => {
    let name = `rename_${i}`;
    while (taken.has(name)) name = `_${name}`;
    taken.add(name);
    return name;
  });
  for (const [i, c] of renamed.entries()) {
    await conn.run(
      `ALTER TABLE ${staging} RENAME COLUMN ${quoteIdent(c.source)} TO ${quoteIdent(temporary[i] as string)}`,
    );
  }
  for (const [i, c] of renamed.entries()) {
    await conn.run(
      `ALTER TABLE ${staging} RENAME COLUMN ${quoteIdent(temporary[i] as string)} TO ${quoteIdent(c.name)}`,
    );
  }
}

/** Stages a copy of another table's rows (a `transferSpecification` with `sourceType: "redivis"`). */
export async function stageTableCopy(
  conn: DuckDBConnection,
  upload: UploadRow,
  source: { storage: string; variables: Array<{ name: string; type: VariableType }> },
): Promise<StagedUpload> {
  const staging = storageTable(upload.storage);
  const cols = source.variables.map((v) => quoteIdent(v.name)).join(', ');
  await conn.run(`CREATE TABLE ${staging} AS SELECT ${cols || '*'} FROM ${storageTable(source.storage)}`);
  const [count] = await rows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${staging}`);
  return { columns: source.variables, numRows: count?.n ?? 0, badRecords: 0 };
}
