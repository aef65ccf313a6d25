import type {
  NotebookProperties,
  TableBaseProperties,
  TransformProperties,
  WorkflowJob,
} from '@redivis-ts/core';
import { escapeName } from '@redivis-ts/core';
import type { Context } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { type ResolvedWorkflow, resolveTable } from '../http/resolve.js';
import { translateSql } from '../sql/translate.js';
import type { TableRow } from '../store/rows.js';
import { type JobRow, latestJob, type NodeRow } from '../store/workflow-nodes.js';
import { quietly } from './quietly.js';
import { tableRepr } from './tables.js';
import { workflowBase } from './workflows.js';

/** A notebook's or transform's job (`currentJob` / `lastRunJob`). */
function jobRepr(job: JobRow, kind: string): WorkflowJob {
  return {
    kind: `${kind}Job`,
    id: job.id,
    status: job.status,
    errorMessage: job.error_message,
    createdAt: job.created_at,
    finishedAt: job.finished_at,
  };
}

async function tableBaseByRef(c: Context<AppEnv>, ctx: EmulatorContext, ref: string | null) {
  if (!ref) return null;
  const r = await quietly(() => resolveTable(c, ctx, ref));
  return r && tableRepr(c, ctx, r, r.table, r.variables.length, 'list');
}

/** The qualified reference of a node: `owner.workflow:ref.node_name:ref`. */
export function nodeReference(ctx: EmulatorContext, wf: ResolvedWorkflow, node: NodeRow): string {
  return `${workflowBase(ctx, wf.workflow, wf.owner).qualifiedReference}.${escapeName(node.name)}:${node.reference_id}`;
}

/** Notebook / transform representation with its current or last job and its tables. */
export async function nodeRepr(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  node: NodeRow,
): Promise<NotebookProperties | TransformProperties> {
  const qualified = nodeReference(ctx, wf, node);
  const job = await latestJob(ctx.db, node.id);
  const active = job && (job.status === 'queued' || job.status === 'running');
  const sourceTable = await tableBaseByRef(c, ctx, node.source_table_ref);
  let outputTable: TableBaseProperties | null = null;
  if (node.output_table_id) {
    const row = await ctx.db.one<TableRow>('SELECT * FROM tables WHERE id = ?', [node.output_table_id]);
    const vars = await ctx.db.one<{ n: number }>('SELECT count(*) AS n FROM variables WHERE table_id = ?', [
      node.output_table_id,
    ]);
    if (row)
      outputTable = tableRepr(
        c,
        ctx,
        { container: { kind: 'workflow', workflow: wf }, access: wf.access },
        row,
        vars?.n ?? 0,
        'list',
      );
  }
  const referenced = node.kind === 'transform' ? await referencedTables(c, ctx, wf, node) : [];
  return {
    kind: node.kind,
    uri: `/${node.kind}s/${qualified}`,
    id: node.id,
    name: node.name,
    qualifiedReference: qualified,
    scopedReference: qualified.slice(qualified.indexOf('.') + 1),
    referenceId: node.reference_id,
    ...(node.kind === 'transform' ? { query: node.query } : {}),
    currentJob: active ? jobRepr(job, node.kind) : null,
    lastRunJob: job && !active ? jobRepr(job, node.kind) : null,
    referencedTables: sourceTable && node.kind === 'notebook' ? [sourceTable] : referenced,
    sourceTable,
    outputTable,
    createdAt: node.created_at,
    updatedAt: node.updated_at,
  };
}

/** Tables a transform's SQL names (resolved against its workflow), for `referencedTables`. */
async function referencedTables(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  node: NodeRow,
): Promise<TableBaseProperties[]> {
  if (!node.query) return [];
  const refs: string[] = [];
  try {
    await translateSql(node.query, (ref) => {
      const scope =
        ref.parts.length === 2 ? wf.owner.name : workflowBase(ctx, wf.workflow, wf.owner).qualifiedReference;
      refs.push(ref.parts.length === 3 ? ref.reference : `${scope}.${ref.reference}`);
      return '"unused"';
    });
  } catch {
    return [];
  }
  const out: TableBaseProperties[] = [];
  for (const ref of refs) {
    const table = await tableBaseByRef(c, ctx, ref);
    if (table) out.push(table);
  }
  return out;
}
