import type { Queryable, SqlValue } from '../store/db.js';
import { InvalidOperationError } from '../store/errors.js';
import type { TableRow, VariableRow } from '../store/rows.js';
import { quoteIdent } from '../store/identifiers.js';
import { storageTable } from '../store/schema.js';
import { createEmptyStorage, ensureOwnStorage, refreshTableStats, tableVariables } from '../store/tables.js';
import type { VariableMetadata } from '../store/uploads.js';
import { widen } from './columns.js';
import { duckdbStorageType } from '../store/duckdb-types.js';
import type { VariableType } from '@redivis-ts/core';

/** A variable an upload added to its table, or whose type it widened (insertRows' `schemaUpdates`). */
export interface SchemaUpdates {
  addedVariables: Array<{ name: string; type: VariableType }>;
  updatedVariables: Array<{ name: string; type: VariableType; previousType: VariableType }>;
}

/** What to merge: rows of `source` (a relation or subquery whose columns are named like the variables). */
export interface MergeInput {
  tableId: string;
  source: string;
  params?: readonly SqlValue[];
  columns: ReadonlyArray<{ name: string; type: VariableType }>;
  /** Replace the rows the table carried over from the previous version instead of appending to them. */
  replace: boolean;
  /**
   * The storage table `source` names, when the table may take it over as its own storage instead of copying its
   * rows (an upload's staged rows: shared afterwards, copied on the table's next write, see ensureOwnStorage), with
   * the size of its rows as measureRows gives it for `columns` (the adopting table takes it without a second scan).
   */
  adoptable?: { storage: string; numRows: number; numBytes: number };
  metadata?: Record<string, VariableMetadata> | null;
  at: number;
  /** The table is a workflow's (a notebook job's output table) rather than a table of a dataset version. */
  workflowTable?: boolean;
}

/**
 * The table an upload writes to, re-read inside the transaction: it must still exist on an unreleased version (or,
 * with `workflowTable`, in a workflow).
 */
export async function writableTable(
  tx: Queryable,
  tableId: string,
  workflowTable = false,
): Promise<TableRow> {
  const table = await tx.one<TableRow>('SELECT * FROM tables WHERE id = ?', [tableId]);
  if (!table) throw new InvalidOperationError('The table was deleted before the upload finished');
  if (workflowTable) {
    if (table.container_kind !== 'workflow')
      throw new InvalidOperationError('The table is not a workflow table');
    return table;
  }
  const version = table.version_id
    ? await tx.one<{ is_released: boolean }>('SELECT is_released FROM versions WHERE id = ?', [
        table.version_id,
      ])
    : undefined;
  if (!version || version.is_released) {
    throw new InvalidOperationError('Uploads can only add data to tables of an unreleased dataset version');
  }
  return table;
}

async function dropIfUnused(tx: Queryable, storage: string): Promise<void> {
  const users = await tx.one<{ n: number }>(
    `SELECT (SELECT count(*) FROM tables WHERE storage = $1)
       + (SELECT count(*) FROM uploads WHERE storage = $1) AS n`,
    [storage],
  );
  if (users?.n === 0) await tx.run(`DROP TABLE IF EXISTS ${storageTable(storage)}`);
}

/**
 * Adds an upload's rows to its table inside the caller's transaction, so the table changes completely or not at
 * all: variables are matched by name (case-insensitive), new ones appended, differing types widened (integer +
 * float → float, date + dateTime → dateTime, anything else → string). With `replace`, the table's rows are swapped
 * for the upload's (its variables become the upload's).
 */
export async function mergeIntoTable(tx: Queryable, input: MergeInput): Promise<SchemaUpdates> {
  const table = await writableTable(tx, input.tableId, input.workflowTable);
  const adopted = await adopt(tx, table, input);
  if (adopted) return adopted;
  const updates: SchemaUpdates = { addedVariables: [], updatedVariables: [] };
  let storage: string;
  let variables: VariableRow[];
  if (input.replace) {
    storage = await createEmptyStorage(tx, input.columns);
    await tx.run('UPDATE tables SET storage = ? WHERE id = ?', [storage, table.id]);
    await dropIfUnused(tx, table.storage);
    await tx.run('DELETE FROM variables WHERE table_id = ?', [table.id]);
    variables = [];
  } else {
    storage = await ensureOwnStorage(tx, table);
    variables = await tableVariables(tx, table.id);
  }
  const relation = storageTable(storage);
  const byName = new Map(variables.map((v) => [v.name.toLowerCase(), v]));
  let nextIdx = variables.length ? Math.max(...variables.map((v) => v.idx)) + 1 : 0;
  const targets: string[] = [];
  const selects: string[] = [];
  for (const col of input.columns) {
    const existing = byName.get(col.name.toLowerCase());
    let type = col.type;
    if (existing) {
      type = widen(existing.type, col.type);
      if (type !== existing.type) {
        if (duckdbStorageType(type) !== duckdbStorageType(existing.type)) {
          await tx.run(
            `ALTER TABLE ${relation} ALTER ${quoteIdent(existing.name)} SET DATA TYPE ${duckdbStorageType(type)}`,
          );
        }
        await tx.run('UPDATE variables SET type = ? WHERE id = ?', [type, existing.id]);
        updates.updatedVariables.push({ name: existing.name, type, previousType: existing.type });
      }
      targets.push(quoteIdent(existing.name));
    } else {
      if (!input.replace) {
        await tx.run(`ALTER TABLE ${relation} ADD COLUMN ${quoteIdent(col.name)} ${duckdbStorageType(type)}`);
      }
      await tx.run(
        `INSERT INTO variables (id, table_id, idx, name, type, label, description, value_labels, is_file_id)
         VALUES (?, ?, ?, ?, ?, NULL, NULL, '[]', false)`,
        [`${table.id}.${nextIdx}`, table.id, nextIdx, col.name, type],
      );
      nextIdx++;
      byName.set(col.name.toLowerCase(), { name: col.name, type } as VariableRow);
      if (!input.replace || variables.length) updates.addedVariables.push({ name: col.name, type });
      targets.push(quoteIdent(col.name));
    }
    selects.push(`CAST(${quoteIdent(col.name)} AS ${duckdbStorageType(type)})`);
  }
  const placeholder = await tx.one<{ n: number }>(
    "SELECT count(*) AS n FROM duckdb_columns() WHERE schema_name = 'tabledata' AND table_name = ? AND column_name = '__empty'",
    [storage],
  );
  if (placeholder?.n && input.columns.length) await tx.run(`ALTER TABLE ${relation} DROP COLUMN "__empty"`);
  if (targets.length) {
    await tx.run(
      `INSERT INTO ${relation} (${targets.join(', ')}) SELECT ${selects.join(', ')} FROM ${input.source}`,
      input.params,
    );
  }
  await applyMetadata(tx, table.id, input.metadata);
  await tx.run('UPDATE tables SET updated_at = ? WHERE id = ?', [input.at, table.id]);
  await refreshTableStats(tx, table.id);
  return updates;
}

/**
 * The first upload into an empty table (or a `replace`): when the staged rows already have the storage types of
 * their variables, the table takes the staged storage table as its own instead of copying every row into a new
 * one, the second full write the ingest benchmark's profile found (the merge then costs no more than the parse).
 * Returns undefined when that does not apply and the rows must be copied.
 */
async function adopt(tx: Queryable, table: TableRow, input: MergeInput): Promise<SchemaUpdates | undefined> {
  if (!input.adoptable || input.params?.length || !input.columns.length) return undefined;
  const variables = await tableVariables(tx, table.id);
  if (!input.replace && variables.length) return undefined;
  const staged = await tx.all<{ column_name: string; column_type: string }>(
    `DESCRIBE ${storageTable(input.adoptable.storage)}`,
  );
  const same =
    staged.length === input.columns.length &&
    input.columns.every(
      (c, i) => staged[i]?.column_name === c.name && staged[i]?.column_type === duckdbStorageType(c.type),
    );
  if (!same) return undefined;
  const { storage, numRows, numBytes } = input.adoptable;
  await tx.run('UPDATE tables SET storage = ?, updated_at = ?, num_rows = ?, num_bytes = ? WHERE id = ?', [
    storage,
    input.at,
    numRows,
    numBytes,
    table.id,
  ]);
  await dropIfUnused(tx, table.storage);
  await tx.run('DELETE FROM variables WHERE table_id = ?', [table.id]);
  for (const [idx, col] of input.columns.entries()) {
    await tx.run(
      `INSERT INTO variables (id, table_id, idx, name, type, label, description, value_labels, is_file_id)
       VALUES (?, ?, ?, ?, ?, NULL, NULL, '[]', false)`,
      [`${table.id}.${idx}`, table.id, idx, col.name, col.type],
    );
  }
  await applyMetadata(tx, table.id, input.metadata);
  // As the copying path reports them: an append to a table without variables adds them all, a replace none.
  return { addedVariables: input.replace ? [] : input.columns.map((c) => ({ ...c })), updatedVariables: [] };
}

/** Applies an upload's variable metadata (labels, descriptions, value labels) to the table's variables. */
async function applyMetadata(
  tx: Queryable,
  tableId: string,
  metadata: Record<string, VariableMetadata> | null | undefined,
): Promise<void> {
  if (!metadata) return;
  const variables = await tableVariables(tx, tableId);
  for (const [name, m] of Object.entries(metadata)) {
    const v = variables.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!v) continue;
    await tx.run(
      `UPDATE variables SET label = coalesce(?, label), description = coalesce(?, description),
         value_labels = coalesce(?, value_labels) WHERE id = ?`,
      [m.label ?? null, m.description ?? null, m.valueLabels ? JSON.stringify(m.valueLabels) : null, v.id],
    );
  }
}
