import type { Db } from '../db.js';
import { CORE_SCHEMA } from './core.js';
import { MODULE_TABLES } from './modules.js';
import { NOTEBOOK_JOB_TEMP_UPLOADS } from './notebook-jobs.js';
import { RAW_FILE_NAMES } from './raw-file-names.js';
import { REFRESH_TOKEN_FAMILIES } from './refresh-families.js';
import { UPLOADS_WRITE_SCHEMA } from './uploads.js';

/** One step of the schema: applied once per data dir, in `version` order, inside a transaction. */
export interface Migration {
  /** 1, 2, 3…: the position in {@link MIGRATIONS}; recorded in `meta_migrations` once applied. */
  version: number;
  /** What the step creates or changes. */
  description: string;
  /** DuckDB statements, `;`-separated. */
  sql: string;
}

/**
 * The one schema history of the emulator's database. Append a migration to change the schema; never edit or
 * reorder one that has landed (data dirs that already applied it would not see the change). Modules own their
 * row types and queries, not their DDL: no module creates tables at startup.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'core metadata', sql: CORE_SCHEMA },
  {
    version: 2,
    description: 'OAuth, workflow extras, queries, uploads, exports, raw files',
    sql: MODULE_TABLES,
  },
  { version: 3, description: 'upload options and processing state; temp uploads', sql: UPLOADS_WRITE_SCHEMA },
  { version: 4, description: 'raw file names; raw file bytes on disk', sql: RAW_FILE_NAMES },
  { version: 5, description: 'temp uploads of notebook jobs', sql: NOTEBOOK_JOB_TEMP_UPLOADS },
  { version: 6, description: 'refresh-token families (rotation)', sql: REFRESH_TOKEN_FAMILIES },
];

/**
 * Brings the database to the latest schema version, each pending migration in its own transaction with its
 * `meta_migrations` record (a failed step leaves the previous version intact). Returns whether the database was
 * empty.
 */
export async function migrate(db: Db): Promise<{ fresh: boolean }> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS meta_migrations (version INTEGER NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const row = await db.one<{ v: number | null }>('SELECT max(version) AS v FROM meta_migrations');
  const current = row?.v ?? 0;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The database is at schema version ${current}, newer than this emulator (${MIGRATIONS.length}); upgrade it`,
    );
  }
  for (const m of MIGRATIONS.slice(current)) {
    await db.transaction(async (tx) => {
      await tx.run(m.sql);
      await tx.run('INSERT INTO meta_migrations VALUES (?, ?)', [m.version, Date.now()]);
    });
  }
  return { fresh: current === 0 };
}
