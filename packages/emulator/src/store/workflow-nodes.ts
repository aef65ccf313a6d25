import type { Queryable } from './db.js';

// Notebooks and transforms of workflows and their jobs (tables `wf_nodes`, `wf_jobs`, from the migration list).

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
