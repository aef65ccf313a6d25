// Rows of the upload records, exports and raw-file contents (tables from the migration list, store/migrations).

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
