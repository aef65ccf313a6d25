import type { Queryable } from './db.js';

// Upload records (read side), exports and raw-file contents. Created at startup beside the core schema.
const TABLES = `
  CREATE TABLE IF NOT EXISTS uploads (id VARCHAR NOT NULL, table_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
    type VARCHAR NOT NULL, status VARCHAR NOT NULL, error_message VARCHAR, storage VARCHAR NOT NULL,
    size BIGINT NOT NULL DEFAULT 0, hash VARCHAR, num_rows BIGINT NOT NULL DEFAULT 0,
    num_bytes BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS exports (id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, table_id VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL, format VARCHAR NOT NULL, status VARCHAR NOT NULL, error_message VARCHAR,
    path VARCHAR, size BIGINT, created_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS raw_files (id VARCHAR NOT NULL, dataset_id VARCHAR, content VARCHAR NOT NULL,
    size BIGINT NOT NULL, md5_hash VARCHAR NOT NULL, created_at BIGINT NOT NULL);`;

/** Creates the uploads / exports / raw_files tables when missing. */
export async function migrateFiles(db: Queryable): Promise<void> {
  await db.run(TABLES);
}

/** `uploads` row: `storage` holds the rows this upload imported. */
export interface UploadRow {
  id: string;
  table_id: string;
  name: string;
  type: string;
  status: string;
  error_message: string | null;
  storage: string;
  size: number;
  hash: string | null;
  num_rows: number;
  num_bytes: number;
  created_at: number;
  updated_at: number;
}

/** `exports` row: one export job; `path` is the single part written under the data dir. */
export interface ExportRow {
  id: string;
  user_id: string;
  table_id: string;
  table_name: string;
  format: string;
  status: string;
  error_message: string | null;
  path: string | null;
  size: number | null;
  created_at: number;
}

/** `raw_files` row: a file's bytes (base64) and digest; the file index tables list it by `id`. */
export interface RawFileRow {
  id: string;
  dataset_id: string | null;
  content: string;
  size: number;
  md5_hash: string;
  created_at: number;
}
