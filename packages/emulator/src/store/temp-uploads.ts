import type { Queryable } from './db.js';

/** Resumable sessions and unused temp uploads expire 24 hours after creation (spec §2.6). */
export const TEMP_UPLOAD_TTL_MS = 24 * 3_600_000;

/**
 * `temp_uploads` row: a byte slot; the bytes received are the length of its file under the data dir. It belongs to
 * a table (`table_id`) or to a notebook job (`job_id`).
 */
export interface TempUploadRow {
  id: string;
  table_id: string | null;
  user_id: string;
  name: string;
  size: number;
  resumable: boolean;
  /** The resumable session (`upload_id` of the session URL); null until started. */
  session_id: string | null;
  completed_at: number | null;
  created_at: number;
  expires_at: number;
  /** The notebook job whose output table the bytes are for (null for a table's temp upload). */
  job_id: string | null;
}

/** Inserts temp uploads. */
export async function insertTempUploads(db: Queryable, rows: readonly TempUploadRow[]): Promise<void> {
  for (const t of rows) {
    await db.run(
      `INSERT INTO temp_uploads (id, table_id, user_id, name, size, resumable, session_id, completed_at, created_at,
         expires_at, job_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        t.id,
        t.table_id,
        t.user_id,
        t.name,
        t.size,
        t.resumable,
        t.session_id,
        t.completed_at,
        t.created_at,
        t.expires_at,
        t.job_id,
      ],
    );
  }
}

/** A temp upload by id. */
export function getTempUpload(db: Queryable, id: string): Promise<TempUploadRow | undefined> {
  return db.one<TempUploadRow>('SELECT * FROM temp_uploads WHERE id = ?', [id]);
}

/** Starts a new resumable session (the previous one, if any, is gone). */
export async function startTempSession(db: Queryable, id: string, sessionId: string): Promise<void> {
  await db.run('UPDATE temp_uploads SET session_id = ?, completed_at = NULL WHERE id = ?', [sessionId, id]);
}

/** Records that every byte arrived. */
export async function completeTempUpload(db: Queryable, id: string, at: number): Promise<void> {
  await db.run('UPDATE temp_uploads SET completed_at = ? WHERE id = ?', [at, id]);
}

/** Removes a temp upload record (its file is the caller's). */
export async function deleteTempUpload(db: Queryable, id: string): Promise<void> {
  await db.run('DELETE FROM temp_uploads WHERE id = ?', [id]);
}

/** Removes the records of expired temp uploads and returns their ids (to remove their files). */
export async function expireTempUploads(db: Queryable, at: number): Promise<string[]> {
  const rows = await db.all<{ id: string }>('SELECT id FROM temp_uploads WHERE expires_at <= ?', [at]);
  await db.run('DELETE FROM temp_uploads WHERE expires_at <= ?', [at]);
  return rows.map((r) => r.id);
}
