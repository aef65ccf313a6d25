import { randomId } from './ids.js';
import type { Queryable, SqlValue } from './db.js';
import { duckdbStorageType, numBytesSql, type SizedColumn, variableTypeOfDuckDB } from './duckdb-types.js';
import { quoteIdent } from './identifiers.js';
import type { TableRow, VariableRow } from './rows.js';
import { storageTable } from './schema.js';
import type { VariableType } from '@redivis-ts/core';

/** A new storage table name. */
export function newStorageName(): string {
  return `s_${randomId(12)}`;
}

/** Creates a storage table from a SELECT and returns its name. */
export async function createStorageFromSelect(
  tx: Queryable,
  select: string,
  params?: readonly SqlValue[],
): Promise<string> {
  const storage = newStorageName();
  await tx.run(`CREATE TABLE ${storageTable(storage)} AS ${select}`, params);
  return storage;
}

/** Per-variable metadata applied when registering a table's variables. */
export interface VariableOverride {
  type?: VariableType;
  label?: string | null;
  description?: string | null;
  valueLabels?: Array<{ value: string; label: string }>;
}

/** Input of {@link insertTable}. */
export interface NewTable {
  id?: string;
  referenceId: string;
  containerKind: 'dataset' | 'workflow';
  versionId?: string | null;
  workflowId?: string | null;
  name: string;
  description?: string;
  uploadMergeStrategy?: 'append' | 'replace';
  isFileIndex?: boolean;
  isSample?: boolean;
  sampleOf?: string | null;
  entity?: string | null;
  storage: string;
  variables?: Record<string, VariableOverride>;
  at: number;
}

/**
 * Inserts a table row over an existing storage table, registers one variable per storage column (types from the
 * column types unless overridden) and computes its row count and size.
 */
export async function insertTable(tx: Queryable, t: NewTable): Promise<TableRow> {
  const id = t.id ?? `${t.referenceId}-${randomId(9)}`;
  await tx.run(
    `INSERT INTO tables (id, reference_id, container_kind, version_id, workflow_id, name, description,
       upload_merge_strategy, is_file_index, is_sample, sample_of, entity, storage, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id,
      t.referenceId,
      t.containerKind,
      t.versionId ?? null,
      t.workflowId ?? null,
      t.name,
      t.description ?? '',
      t.uploadMergeStrategy ?? 'append',
      t.isFileIndex ?? false,
      t.isSample ?? false,
      t.sampleOf ?? null,
      t.entity ?? null,
      t.storage,
      t.at,
      t.at,
    ],
  );
  const columns = await tx.all<{ column_name: string; column_type: string }>(
    `DESCRIBE ${storageTable(t.storage)}`,
  );
  let idx = 0;
  for (const col of columns) {
    if (col.column_name === '__empty') continue;
    const o = t.variables?.[col.column_name] ?? {};
    await tx.run('INSERT INTO variables VALUES (?, ?, ?, ?, ?, ?, ?, ?, false)', [
      `${id}.${idx}`,
      id,
      idx,
      col.column_name,
      o.type ?? variableTypeOfDuckDB(col.column_type),
      o.label ?? null,
      o.description ?? null,
      JSON.stringify(o.valueLabels ?? []),
    ]);
    idx++;
  }
  await refreshTableStats(tx, id);
  return (await tx.one<TableRow>('SELECT * FROM tables WHERE id = ?', [id])) as TableRow;
}

/** Recomputes `num_rows` and `num_bytes` of a table from its storage. Call after changing rows. */
export async function refreshTableStats(tx: Queryable, tableId: string): Promise<void> {
  const table = await tx.one<TableRow>('SELECT * FROM tables WHERE id = ?', [tableId]);
  if (!table) return;
  const vars = await tx.all<{ name: string; type: VariableType }>(
    'SELECT name, type FROM variables WHERE table_id = ? ORDER BY idx',
    [tableId],
  );
  const size = await measureRows(
    tx,
    storageTable(table.storage),
    vars.map((v) => ({ column: v.name, type: v.type })),
  );
  await tx.run('UPDATE tables SET num_rows = ?, num_bytes = ? WHERE id = ?', [
    size.numRows,
    size.numBytes,
    tableId,
  ]);
}

/**
 * The row count and `numBytes` of a relation holding these columns, measured from its values with the byte facts
 * query outputs use too (see {@link numBytesSql}).
 */
export async function measureRows(
  tx: Queryable,
  relation: string,
  columns: readonly SizedColumn[],
): Promise<{ numRows: number; numBytes: number }> {
  const row = await tx.one<{ n: number | bigint; bytes: number | bigint }>(
    `SELECT count(*) AS n, ${numBytesSql(columns)} AS bytes FROM ${relation}`,
  );
  return { numRows: Number(row?.n ?? 0), numBytes: Number(row?.bytes ?? 0) };
}

/**
 * Makes sure no other table row shares this table's storage (versions share storage until one changes its rows)
 * and no upload does (a table adopts the storage of the upload that filled it, see mergeIntoTable); copies the rows
 * to a fresh storage table when it is shared. Returns the (possibly new) storage name.
 */
export async function ensureOwnStorage(tx: Queryable, table: TableRow): Promise<string> {
  const shared = await tx.one<{ n: number }>(
    `SELECT (SELECT count(*) FROM tables WHERE storage = $1 AND id <> $2)
       + (SELECT count(*) FROM uploads WHERE storage = $1) AS n`,
    [table.storage, table.id],
  );
  if (!shared || shared.n === 0) return table.storage;
  const storage = await createStorageFromSelect(tx, `SELECT * FROM ${storageTable(table.storage)}`);
  await tx.run('UPDATE tables SET storage = ? WHERE id = ?', [storage, table.id]);
  return storage;
}

/** Deletes table rows (and their variables), dropping storage tables nothing references any more. */
export async function deleteTables(tx: Queryable, tableIds: readonly string[]): Promise<void> {
  for (const id of tableIds) {
    const table = await tx.one<TableRow>('SELECT * FROM tables WHERE id = ?', [id]);
    if (!table) continue;
    await tx.run('DELETE FROM variables WHERE table_id = ?', [id]);
    await tx.run('DELETE FROM tables WHERE id = ?', [id]);
    const users = await tx.one<{ n: number }>('SELECT count(*) AS n FROM tables WHERE storage = ?', [
      table.storage,
    ]);
    if (users?.n === 0) await tx.run(`DROP TABLE IF EXISTS ${storageTable(table.storage)}`);
  }
}

/**
 * Copies every table of one version into another (metadata and variables; storage is shared, copy on write).
 */
export async function copyVersionTables(
  tx: Queryable,
  fromVersionId: string,
  toVersionId: string,
): Promise<void> {
  const tables = await tx.all<TableRow>('SELECT * FROM tables WHERE version_id = ? ORDER BY created_at, id', [
    fromVersionId,
  ]);
  const idMap = new Map<string, string>();
  for (const t of tables) idMap.set(t.id, `${t.reference_id}-${randomId(9)}`);
  for (const t of tables) {
    const id = idMap.get(t.id) as string;
    await tx.run(
      `INSERT INTO tables SELECT ?, reference_id, container_kind, ?, workflow_id, name, description,
         upload_merge_strategy, is_file_index, is_sample, ?, entity, storage, num_rows, num_bytes, created_at,
         updated_at FROM tables WHERE id = ?`,
      [id, toVersionId, t.sample_of ? (idMap.get(t.sample_of) ?? null) : null, t.id],
    );
    await tx.run(
      `INSERT INTO variables SELECT ? || '.' || idx, ?, idx, name, type, label, description, value_labels,
         is_file_id FROM variables WHERE table_id = ?`,
      [id, id, t.id],
    );
  }
}

/** Variables of a table in column order. */
export function tableVariables(db: Queryable, tableId: string): Promise<VariableRow[]> {
  return db.all<VariableRow>('SELECT * FROM variables WHERE table_id = ? ORDER BY idx', [tableId]);
}

/** Creates an empty storage table with the given columns. */
export async function createEmptyStorage(
  tx: Queryable,
  columns: ReadonlyArray<{ name: string; type: VariableType }>,
): Promise<string> {
  const storage = newStorageName();
  const cols = columns.map((c) => `${quoteIdent(c.name)} ${duckdbStorageType(c.type)}`);
  // DuckDB needs at least one column; a table with no variables yet gets a placeholder that is never exposed.
  await tx.run(
    `CREATE TABLE ${storageTable(storage)} (${cols.length ? cols.join(', ') : '"__empty" BOOLEAN'})`,
  );
  return storage;
}
