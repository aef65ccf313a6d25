import type { DuckDBConnection } from '@duckdb/node-api';
import { namesMatch, type VariableType } from '@redivis-ts/core';
import type { Queryable, SqlValue } from '../store/db.js';
import { InvalidOperationError } from '../store/errors.js';
import { quoteIdent } from '../store/identifiers.js';
import { randomId } from '../store/ids.js';
import type { TableRow } from '../store/rows.js';
import { storageTable } from '../store/schema.js';
import { deleteTables, insertTable, newStorageName } from '../store/tables.js';
import type { NodeRow } from '../store/workflow-nodes.js';
import { sourceColumns, wktViolations } from './columns.js';
import { mergeIntoTable } from './merge.js';
import { parquetSource } from './sources.js';

/** A notebook job's output rows, parsed into their own storage table. */
export interface StagedOutput {
  storage: string;
  columns: Array<{ name: string; type: VariableType }>;
}

async function rows<T>(conn: DuckDBConnection, sql: string, params?: readonly SqlValue[]): Promise<T[]> {
  const result = await conn.run(sql, params as SqlValue[] | undefined);
  return (await result.getRowObjectsJS()) as T[];
}

/**
 * Parses the Parquet file a notebook job sent (the official clients always send Parquet: data frames and Arrow
 * tables are written as Parquet, a `.parquet` path is sent as is) into a new storage table. Only the variables
 * named in `geographyVariables` become `geography` (their values must be WKT); other strings stay strings.
 * Throws {@link InvalidOperationError} for a bad file or geography variable; the caller drops `storage` on error.
 */
export async function stageOutputRows(
  conn: DuckDBConnection,
  file: string,
  geographyVariables: readonly string[],
): Promise<StagedOutput> {
  const storage = newStorageName();
  const source = parquetSource(file);
  let described: Array<{ column_name: string; column_type: string }>;
  try {
    described = await rows(conn, `DESCRIBE SELECT * FROM ${source.sql}`, source.params);
  } catch (e) {
    throw new InvalidOperationError(
      `The output table data is not a readable Parquet file: ${(e as Error).message.split('\n')[0]?.replaceAll(file, 'data')}`,
    );
  }
  const columns = sourceColumns(described);
  const geography = geographyVariables.map((name) => {
    const column = columns.find((c) => namesMatch(c.name, name) || c.source === name);
    if (!column)
      throw new InvalidOperationError(`geographyVariables names "${name}", which the data does not have`);
    if (column.type !== 'string' && column.type !== 'geography') {
      throw new InvalidOperationError(
        `Geography variable "${name}" must hold WKT strings, not ${column.type}`,
      );
    }
    return column;
  });
  const select = columns.map((c) => `${c.expr} AS ${quoteIdent(c.name)}`).join(', ');
  await conn.run(`CREATE TABLE ${storageTable(storage)} AS SELECT ${select} FROM ${source.sql}`, [
    ...source.params,
  ] as SqlValue[]);
  if (geography.length) {
    const [violations] = await rows<Record<string, number | bigint>>(
      conn,
      wktViolations(
        storageTable(storage),
        geography.map((c) => c.name),
      ),
    );
    const bad = geography.find((_, i) => Number(violations?.[`v${i}`] ?? 0) > 0);
    if (bad) {
      await conn.run(`DROP TABLE IF EXISTS ${storageTable(storage)}`);
      throw new InvalidOperationError(`Geography variable "${bad.name}" holds values that are not WKT`);
    }
  }
  return {
    storage,
    columns: columns.map((c) => ({
      name: c.name,
      type: geography.includes(c) ? 'geography' : c.type === 'geography' ? 'string' : c.type,
    })),
  };
}

/** What {@link writeOutputTable} writes. */
export interface OutputTableWrite {
  node: NodeRow;
  workflowId: string;
  staged: StagedOutput;
  /** The table's name; absent: the current output's name, else the notebook's output name. */
  name: string | undefined;
  append: boolean;
  at: number;
}

/**
 * Makes the staged rows the notebook's output table inside the caller's transaction. Without `append` (or without
 * an output yet) the output table is replaced by one holding exactly these rows, keeping its id and reference id so
 * its URI stays valid; with `append` the rows are added as uploads add rows (variables matched by name, types
 * widened). Another table of the workflow with the same name is a conflict.
 */
export async function writeOutputTable(tx: Queryable, w: OutputTableWrite): Promise<TableRow> {
  const existing = w.node.output_table_id
    ? await tx.one<TableRow>('SELECT * FROM tables WHERE id = ?', [w.node.output_table_id])
    : undefined;
  const name = w.name ?? existing?.name ?? w.node.output_name;
  const others = await tx.all<{ id: string; name: string }>(
    'SELECT id, name FROM tables WHERE workflow_id = ? AND container_kind = ?',
    [w.workflowId, 'workflow'],
  );
  if (others.some((t) => t.id !== existing?.id && namesMatch(t.name, name))) {
    throw new OutputNameConflict(`The workflow already has a table named "${name}"`);
  }
  let table: TableRow;
  if (existing && w.append) {
    await mergeIntoTable(tx, {
      tableId: existing.id,
      source: storageTable(w.staged.storage),
      columns: w.staged.columns,
      replace: false,
      at: w.at,
      workflowTable: true,
    });
    await tx.run(`DROP TABLE IF EXISTS ${storageTable(w.staged.storage)}`);
    await tx.run('UPDATE tables SET name = ? WHERE id = ?', [name, existing.id]);
    table = (await tx.one<TableRow>('SELECT * FROM tables WHERE id = ?', [existing.id])) as TableRow;
  } else {
    if (existing) await deleteTables(tx, [existing.id]);
    table = await insertTable(tx, {
      ...(existing ? { id: existing.id } : {}),
      referenceId: existing?.reference_id ?? `${w.node.reference_id.slice(0, 2)}${randomId(2)}`,
      containerKind: 'workflow',
      workflowId: w.workflowId,
      name,
      description: existing?.description ?? `Output of notebook ${w.node.name}`,
      storage: w.staged.storage,
      variables: Object.fromEntries(w.staged.columns.map((c) => [c.name, { type: c.type }])),
      at: w.at,
    });
  }
  await tx.run('UPDATE wf_nodes SET output_table_id = ?, updated_at = ? WHERE id = ?', [
    table.id,
    w.at,
    w.node.id,
  ]);
  return table;
}

/** Another table of the workflow already has the output table's name. */
export class OutputNameConflict extends Error {}
