import { type QueryProperties, querySchema, type VariableProperties, variableSchema } from '@redivis-ts/core';
import type { OutputColumn } from '../sql/execute.js';
import type { Queryable } from './db.js';
import { quoteIdent } from './identifiers.js';

/** Schema holding query outputs, apart from table data so the two naming schemes never meet. */
export const QUERY_SCHEMA = 'queryresults';

/** Query job statuses (spec §2.9). */
export type QueryStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** A row of the `queries` table. */
export interface QueryRow {
  id: string;
  user_id: string;
  query: string;
  default_dataset: string | null;
  default_workflow: string | null;
  status: QueryStatus;
  error_message: string | null;
  /** JSON text of {@link OutputColumn}[]; null until completed. */
  output_schema: string | null;
  output_num_rows: number | null;
  output_num_bytes: number | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
}

/** Fails the query jobs a previous run left unfinished (run at startup, before serving). */
export async function failInterruptedQueries(db: Queryable, now: number): Promise<void> {
  await db.run(
    `UPDATE queries SET status = 'failed', completed_at = ?,
       error_message = 'The emulator stopped before the query finished; run it again.'
     WHERE status IN ('queued', 'running')`,
    [now],
  );
}

/** The name, in {@link QUERY_SCHEMA}, of the table holding a query's output rows. */
export function queryOutputTable(queryId: string): string {
  return `q_${queryId}`;
}

/** The DuckDB relation holding a query's output rows. */
export function queryOutputRelation(queryId: string): string {
  return `${QUERY_SCHEMA}.${quoteIdent(queryOutputTable(queryId))}`;
}

/** Inserts a query job's row as it stands (a job is written once it is observable, see sql/runner.ts). */
export async function insertQuery(db: Queryable, q: QueryRow): Promise<void> {
  await db.run(
    `INSERT INTO queries (id, user_id, query, default_dataset, default_workflow, status, error_message, output_schema,
       output_num_rows, output_num_bytes, created_at, started_at, completed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      q.id,
      q.user_id,
      q.query,
      q.default_dataset,
      q.default_workflow,
      q.status,
      q.error_message,
      q.output_schema,
      q.output_num_rows,
      q.output_num_bytes,
      q.created_at,
      q.started_at,
      q.completed_at,
    ],
  );
}

/** A query by id, or undefined. */
export function getQuery(db: Queryable, id: string): Promise<QueryRow | undefined> {
  return db.one<QueryRow>('SELECT * FROM queries WHERE id = ?', [id]);
}

// Each transition names the statuses it leaves, so a late one (a job finishing as it is cancelled) changes nothing.

/** Marks a queued query running; false when it is no longer queued (cancelled meanwhile). */
export async function markRunning(db: Queryable, id: string, at: number): Promise<boolean> {
  return (
    (await db.run(
      `UPDATE queries SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'`,
      [at, id],
    )) > 0
  );
}

/** Records a running query's output; false when it is no longer running. */
export async function markCompleted(
  db: Queryable,
  id: string,
  at: number,
  output: { schema: OutputColumn[]; numRows: number; numBytes: number },
): Promise<boolean> {
  const changed = await db.run(
    `UPDATE queries SET status = 'completed', completed_at = ?, output_schema = ?, output_num_rows = ?,
       output_num_bytes = ? WHERE id = ? AND status = 'running'`,
    [at, JSON.stringify(output.schema), output.numRows, output.numBytes, id],
  );
  return changed > 0;
}

/** Records the failure of a query that had not ended. */
export async function markFailed(db: Queryable, id: string, at: number, message: string): Promise<void> {
  await db.run(
    `UPDATE queries SET status = 'failed', completed_at = ?, error_message = ?
     WHERE id = ? AND status IN ('queued', 'running')`,
    [at, message, id],
  );
}

/** Records the cancellation of a query that had not ended. */
export async function markCancelled(db: Queryable, id: string, at: number, message: string): Promise<void> {
  await db.run(
    `UPDATE queries SET status = 'cancelled', completed_at = ?, error_message = ?
     WHERE id = ? AND status IN ('queued', 'running')`,
    [at, message, id],
  );
}

/** The output columns of a completed query (empty otherwise). */
export function outputColumns(row: QueryRow): OutputColumn[] {
  return row.output_schema ? (JSON.parse(row.output_schema) as OutputColumn[]) : [];
}

/** The Query resource (spec §6.5), validated against core's schema. */
export function queryRepr(row: QueryRow): QueryProperties {
  const completed = row.status === 'completed';
  return querySchema.parse({
    kind: 'query',
    id: row.id,
    uri: `/queries/${row.id}`,
    status: row.status,
    errorMessage: row.status === 'failed' || row.status === 'cancelled' ? row.error_message : null,
    query: row.query,
    defaultDataset: row.default_dataset,
    defaultWorkflow: row.default_workflow,
    outputSchema: completed ? outputColumns(row) : null,
    outputNumRows: completed ? row.output_num_rows : null,
    outputNumBytes: completed ? row.output_num_bytes : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
  });
}

/** A query output column as a Variable resource (`GET /queries/:id/variables[/:name]`). */
export function queryVariableRepr(queryId: string, column: OutputColumn, index: number): VariableProperties {
  return variableSchema.parse({
    kind: 'variable',
    uri: `/queries/${queryId}/variables/${encodeURIComponent(column.name)}`,
    name: column.name,
    type: column.type,
    index,
    isFileId: false,
    label: null,
    description: null,
    valueLabels: [],
  });
}
