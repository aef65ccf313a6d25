import type { ExportFormat, JobStatus } from '@redivis-ts/core';
import type { Queryable } from './db.js';

// Rows of the exports and raw-file contents (tables from the migration list, store/migrations).

/** `exports` row: one export job; `path` is the single part written under the data dir. */
export interface ExportRow {
  id: string;
  user_id: string;
  table_id: string;
  table_name: string;
  format: ExportFormat;
  status: JobStatus;
  error_message: string | null;
  path: string | null;
  size: number | null;
  created_at: number;
}

/**
 * `raw_files` row: a file's digest and bytes, either base64 in `content` or, when `on_disk`, in
 * `<dataDir>/raw-files/<id>` (content empty); the file index tables list it by `id`.
 */
export interface RawFileRow {
  id: string;
  dataset_id: string | null;
  content: string;
  size: number;
  md5_hash: string;
  created_at: number;
  /** The name it was added under; null for files added before names were recorded. */
  name: string | null;
  on_disk: boolean;
}

/** What {@link insertRawFile} records: the bytes themselves, or their size when they are already on disk. */
export interface NewRawFile {
  id: string;
  datasetId: string | null;
  name: string;
  md5: string;
  at: number;
  /** The bytes, stored in the row; omitted when the file was moved to the raw-files directory. */
  bytes?: Buffer;
  size: number;
}

/** Records one raw file. */
export async function insertRawFile(db: Queryable, f: NewRawFile): Promise<void> {
  await db.run(
    `INSERT INTO raw_files (id, dataset_id, content, size, md5_hash, created_at, name, on_disk)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [f.id, f.datasetId, f.bytes ? f.bytes.toString('base64') : '', f.size, f.md5, f.at, f.name, !f.bytes],
  );
}

/** A raw file by id. */
export function getRawFile(db: Queryable, id: string): Promise<RawFileRow | undefined> {
  return db.one<RawFileRow>('SELECT * FROM raw_files WHERE id = ?', [id]);
}
