import type { Queryable } from './db.js';
import { quoteIdent } from './identifiers.js';

/**
 * Schema holding table data. Each table version's rows live in `tabledata."<storage>"`, where `<storage>` is the
 * `tables.storage` column. Versions share a storage table until one of them changes its rows (copy on write), so
 * creating a next version copies no data.
 */
export const DATA_SCHEMA = 'tabledata';

/** Fully qualified, quoted name of a storage table, for use in SQL. */
export function storageTable(storage: string): string {
  return `${DATA_SCHEMA}.${quoteIdent(storage)}`;
}

/** Reads a value from the key/value table (seed markers, signing keys…). */
export async function getMeta(db: Queryable, key: string): Promise<string | undefined> {
  const row = await db.one<{ value: string | null }>('SELECT value FROM meta_kv WHERE key = ?', [key]);
  return row?.value ?? undefined;
}

/** Writes a value to the key/value table. */
export async function setMeta(db: Queryable, key: string, value: string): Promise<void> {
  await db.run('DELETE FROM meta_kv WHERE key = ?', [key]);
  await db.run('INSERT INTO meta_kv VALUES (?, ?)', [key, value]);
}
