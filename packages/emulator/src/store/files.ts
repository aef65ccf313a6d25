// Rows of the exports and raw-file contents (tables from the migration list, store/migrations).

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
