import type { Queryable } from '../store/db.js';
import { quoteIdent } from '../store/identifiers.js';
import { InvalidOperationError } from '../store/errors.js';
import { storageTable } from '../store/schema.js';
import { createEmptyStorage, ensureOwnStorage, refreshTableStats, tableVariables } from '../store/tables.js';
import type { UploadRow } from '../store/uploads.js';
import { duckdbStorageType } from '../store/duckdb-types.js';
import { writableTable } from './merge.js';

/**
 * Removes from its table the rows a completed upload added (inside the caller's transaction), so deleting an
 * upload takes its data with it, as on Redivis where a table's data is the stack of its uploads.
 *
 * The table holds no marker of which upload a row came from, so rows are matched by value: the upload's own rows
 * (its storage), cast to the table's current types the way merging cast them and NULL in the variables the upload
 * lacked, are removed as a multiset, one table row per upload row (the latest equal rows first). Rows equal in every
 * variable cannot be told apart, so which copy goes does not change the table's contents. Returns how many rows went.
 */
export async function removeUploadRows(tx: Queryable, upload: UploadRow, at: number): Promise<number> {
  if (upload.status !== 'completed') return 0;
  const table = await writableTable(tx, upload.table_id);
  const variables = await tableVariables(tx, table.id);
  if (table.storage === upload.storage) {
    // An upload that filled the table alone (the seeded kind) shares its storage: every row is its own. The table
    // gets an empty storage; the caller drops the old one once nothing uses it.
    const empty = await createEmptyStorage(
      tx,
      variables.map((v) => ({ name: v.name, type: v.type })),
    );
    await tx.run('UPDATE tables SET storage = ?, updated_at = ? WHERE id = ?', [empty, at, table.id]);
    await refreshTableStats(tx, table.id);
    return upload.num_rows;
  }
  const uploadCols = await tx.all<{ column_name: string }>(`DESCRIBE ${storageTable(upload.storage)}`);
  const fromUpload = new Map(
    uploadCols
      .filter((c) => c.column_name !== '__empty')
      .map((c) => [c.column_name.toLowerCase(), c.column_name]),
  );
  for (const name of fromUpload.keys()) {
    if (!variables.some((v) => v.name.toLowerCase() === name)) {
      throw new InvalidOperationError(
        `The table no longer has the variable "${fromUpload.get(name)}" of upload "${upload.name}"; its rows cannot be told apart`,
      );
    }
  }
  if (variables.length === 0) return 0;
  const storage = await ensureOwnStorage(tx, table);
  const keys = variables.map((v, i) => ({ table: quoteIdent(v.name), key: `k${i}` }));
  const uploadSide = variables.map((v, i) => {
    const col = fromUpload.get(v.name.toLowerCase());
    const value = col === undefined ? 'NULL' : quoteIdent(col);
    return `CAST(${value} AS ${duckdbStorageType(v.type)}) AS k${i}`;
  });
  const join = keys.map((k) => `t.${k.key} IS NOT DISTINCT FROM u.${k.key}`).join(' AND ');
  const before = await tx.one<{ n: number }>(`SELECT count(*) AS n FROM ${storageTable(storage)}`);
  await tx.run(
    `DELETE FROM ${storageTable(storage)} WHERE rowid IN (
       SELECT t.rid FROM (
         SELECT rowid AS rid, ${keys.map((k) => `${k.table} AS ${k.key}`).join(', ')},
           row_number() OVER (PARTITION BY ${keys.map((k) => k.table).join(', ')} ORDER BY rowid DESC) AS rn
         FROM ${storageTable(storage)}) t
       JOIN (SELECT ${uploadSide.join(', ')}, count(*) AS n FROM ${storageTable(upload.storage)} GROUP BY ALL) u
         ON ${join}
       WHERE t.rn <= u.n)`,
  );
  const after = await tx.one<{ n: number }>(`SELECT count(*) AS n FROM ${storageTable(storage)}`);
  await tx.run('UPDATE tables SET updated_at = ? WHERE id = ?', [at, table.id]);
  await refreshTableStats(tx, table.id);
  return Number(before?.n ?? 0) - Number(after?.n ?? 0);
}
