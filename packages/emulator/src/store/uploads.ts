import type { Queryable } from './db.js';
import type { VariableType } from '@redivis-ts/core';

/** Upload job statuses (spec §2.9). */
export type UploadStatus = 'queued' | 'running' | 'completed' | 'failed';

/** Upload types the emulator imports. */
export type UploadType =
  | 'delimited'
  | 'ndjson'
  | 'json'
  | 'parquet'
  | 'avro'
  | 'geojson'
  | 'geojsonl'
  | 'xlsx'
  | 'stream';

/** A column of an upload's explicit schema (`type: "stream"`, or delimited files). */
export interface SchemaColumn {
  name: string;
  type: VariableType;
}

/** Variable metadata an upload applies to its table's variables (the upload's `metadata` field). */
export interface VariableMetadata {
  label?: string | null;
  description?: string | null;
  valueLabels?: Array<{ value: string; label: string }>;
}

/** How an upload is parsed and merged: the metadata fields of uploads.post, defaults applied (spec §5.9.1). */
export interface UploadOptions {
  delimiter: string | null;
  quoteCharacter: string | null;
  escapeCharacter: string | null;
  hasHeaderRow: boolean;
  hasQuotedNewlines: boolean | null;
  allowJaggedRows: boolean;
  skipBadRecords: boolean;
  nullMarkers: string[] | null;
  schema: SchemaColumn[] | null;
  metadata: Record<string, VariableMetadata> | null;
  mergeStrategy: 'append' | 'replace';
  /** `gzip` when the file name ends in `.gz`. */
  compression: 'gzip' | null;
  /** A `transferSpecification` from another Redivis table: the source table row id. */
  transferFromTableId: string | null;
}

/** `uploads` row: `storage` holds the rows this upload imported (created when processing succeeds). */
export interface UploadRow {
  id: string;
  table_id: string;
  name: string;
  type: UploadType;
  status: UploadStatus;
  error_message: string | null;
  storage: string;
  size: number;
  hash: string | null;
  num_rows: number;
  num_bytes: number;
  created_at: number;
  updated_at: number;
  user_id: string | null;
  /** JSON text of {@link UploadOptions} (`{}` for seeded records). */
  options: string;
  bad_records_count: number;
  /** File name under `<dataDir>/uploads` waiting to be processed; null once processed. */
  data_file: string | null;
  started_at: number | null;
  finished_at: number | null;
  /** JSON `[{name, type}]` of the variables the upload imported; null until it completed (and for seeded rows). */
  columns: string | null;
}

/** The record of a new upload. */
export type NewUpload = Pick<
  UploadRow,
  'id' | 'table_id' | 'name' | 'type' | 'status' | 'storage' | 'size' | 'hash' | 'user_id' | 'data_file'
> & { options: UploadOptions; at: number };

/** Inserts an upload record. */
export async function insertUpload(db: Queryable, u: NewUpload): Promise<UploadRow> {
  await db.run(
    `INSERT INTO uploads (id, table_id, name, type, status, error_message, storage, size, hash, num_rows, num_bytes,
       created_at, updated_at, user_id, options, bad_records_count, data_file)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, 0, 0, ?, ?, ?, ?, 0, ?)`,
    [
      u.id,
      u.table_id,
      u.name,
      u.type,
      u.status,
      u.storage,
      u.size,
      u.hash,
      u.at,
      u.at,
      u.user_id,
      JSON.stringify(u.options),
      u.data_file,
    ],
  );
  return (await getUpload(db, u.id)) as UploadRow;
}

/** An upload by id. */
export function getUpload(db: Queryable, id: string): Promise<UploadRow | undefined> {
  return db.one<UploadRow>('SELECT * FROM uploads WHERE id = ?', [id]);
}

/** The uploads of a table, oldest first. */
export function tableUploads(db: Queryable, tableId: string): Promise<UploadRow[]> {
  return db.all<UploadRow>('SELECT * FROM uploads WHERE table_id = ? ORDER BY created_at, id', [tableId]);
}

/** The parse options of an upload (seeded records carry none: the defaults). */
export function uploadOptions(u: Pick<UploadRow, 'options'>): Partial<UploadOptions> {
  try {
    return JSON.parse(u.options || '{}') as Partial<UploadOptions>;
  } catch {
    return {};
  }
}

/** Moves a queued upload to `running`; false when it is no longer queued (deleted meanwhile). */
export async function markUploadRunning(db: Queryable, id: string, at: number): Promise<boolean> {
  const changed = await db.run(
    "UPDATE uploads SET status = 'running', started_at = ?, updated_at = ? WHERE id = ? AND status = 'queued'",
    [at, at, id],
  );
  return changed > 0;
}

/** Fails an upload that has not finished, with the reason the clients show. */
export async function markUploadFailed(
  db: Queryable,
  id: string,
  message: string,
  at: number,
): Promise<void> {
  await db.run(
    `UPDATE uploads SET status = 'failed', error_message = ?, finished_at = ?, updated_at = ?, data_file = NULL
     WHERE id = ? AND status IN ('queued', 'running')`,
    [message, at, at, id],
  );
}

/** The message of uploads a stop interrupted. */
export const INTERRUPTED_MESSAGE =
  'The emulator stopped before this upload finished processing; nothing was added to the table. Upload the file again.';

/**
 * Uploads a previous run left queued or running: marked failed (their rows never reached the table, since merging
 * is one transaction). Returns them so their leftovers (staging tables, data files) can be removed.
 */
export async function failInterruptedUploads(db: Queryable, at: number): Promise<UploadRow[]> {
  const rows = await db.all<UploadRow>("SELECT * FROM uploads WHERE status IN ('queued', 'running')");
  for (const u of rows) await markUploadFailed(db, u.id, INTERRUPTED_MESSAGE, at);
  return rows;
}
