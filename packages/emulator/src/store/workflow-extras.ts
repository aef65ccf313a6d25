import type { Queryable } from './db.js';

// Metadata of the workflow extras (parameters, data sources, notebooks, transforms and their jobs), secrets and
// member comments; the tables come from the migration list (store/migrations).

/** `secrets` row (the columns the secrets endpoints read). */
export interface SecretRow {
  name: string;
  value: string;
  created_at: number;
}

/** `wf_parameters` row. */
export interface ParameterRow {
  id: string;
  workflow_id: string;
  name: string;
  type: string;
  values: string;
  created_at: number;
  updated_at: number;
}

/** `wf_datasources` row: `source_ref` is the dataset or workflow reference as the caller gave it. */
export interface DatasourceRow {
  id: string;
  workflow_id: string;
  source_kind: 'dataset' | 'workflow';
  source_ref: string;
  mapped_tables: string;
  created_at: number;
  updated_at: number;
}

/** `wf_nodes` row: a notebook or a transform. */
export interface NodeRow {
  id: string;
  workflow_id: string;
  kind: 'notebook' | 'transform';
  reference_id: string;
  name: string;
  query: string | null;
  source_table_ref: string | null;
  output_table_id: string | null;
  /** Name of the transform's output table. */
  output_name: string;
  created_at: number;
  updated_at: number;
}

/** `wf_jobs` row: one run of a node. */
export interface JobRow {
  id: string;
  node_id: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  error_message: string | null;
  created_at: number;
  finished_at: number | null;
}

/** The node's latest job, if it ever ran. */
export function latestJob(db: Queryable, nodeId: string): Promise<JobRow | undefined> {
  return db.one<JobRow>('SELECT * FROM wf_jobs WHERE node_id = ? ORDER BY rowid DESC LIMIT 1', [nodeId]);
}

/** Moves a job to `status` unless it has already finished (a cancelled job stays cancelled). */
export async function finishJob(
  db: Queryable,
  jobId: string,
  status: JobRow['status'],
  at: number,
  errorMessage: string | null = null,
): Promise<boolean> {
  const terminal = status === 'completed' || status === 'failed' || status === 'cancelled';
  const changed = await db.run(
    `UPDATE wf_jobs SET status = ?, error_message = ?, finished_at = ?
     WHERE id = ? AND status IN ('queued', 'running')`,
    [status, errorMessage, terminal ? at : null, jobId],
  );
  return changed > 0;
}

/** Infers a parameter type from its values (integers, numbers, booleans, else strings). */
export function inferParameterType(values: readonly unknown[]): string {
  if (values.length && values.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'integer';
  if (values.length && values.every((v) => typeof v === 'number')) return 'float';
  if (values.length && values.every((v) => typeof v === 'boolean')) return 'boolean';
  return 'string';
}
