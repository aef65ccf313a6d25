import { escapeName } from '@redivis-ts/core';
import type { Context } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { type ResolvedWorkflow, resolveDataset, resolveTable, resolveWorkflow } from '../http/resolve.js';
import { translateSql } from '../sql/translate.js';
import type { TableRow } from '../store/rows.js';
import type { DatasourceRow, JobRow, NodeRow, ParameterRow } from '../store/workflow-extras.js';
import { latestJob } from '../store/workflow-extras.js';
import { datasetBase } from './datasets.js';
import { tableRepr } from './tables.js';
import { workflowBase } from './workflows.js';

/** The workflow's API path (`/workflows/owner.name:ref`). */
export function workflowUri(ctx: EmulatorContext, wf: ResolvedWorkflow): string {
  return workflowBase(ctx, wf.workflow, wf.owner).uri as string;
}

/** Parameter representation. */
export function parameterRepr(
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  p: ParameterRow,
): Record<string, unknown> {
  return {
    kind: 'parameter',
    uri: `${workflowUri(ctx, wf)}/parameters/${encodeURIComponent(p.name)}`,
    id: p.id,
    name: p.name,
    type: p.type,
    values: JSON.parse(p.values) as unknown[],
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

/** A reference resolved for display only: a source that vanished shows as null rather than failing the call. */
async function quietly<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}

/** Data source representation: `sourceDataset` or `sourceWorkflow` as base objects. */
export async function datasourceRepr(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  d: DatasourceRow,
): Promise<Record<string, unknown>> {
  let sourceDataset: Record<string, unknown> | null = null;
  let sourceWorkflow: Record<string, unknown> | null = null;
  if (d.source_kind === 'dataset') {
    const r = await quietly(() => resolveDataset(c, ctx, d.source_ref));
    sourceDataset = r && datasetBase(ctx, r.dataset, r.owner, r.versionExplicit ? r.version : null, r.sample);
  } else {
    const r = await quietly(() => resolveWorkflow(c, ctx, d.source_ref));
    sourceWorkflow = r && workflowBase(ctx, r.workflow, r.owner);
  }
  return {
    kind: 'dataSource',
    uri: `${workflowUri(ctx, wf)}/dataSources/${encodeURIComponent(d.id)}`,
    id: d.id,
    sourceDataset,
    sourceWorkflow,
    mappedTables: JSON.parse(d.mapped_tables) as Record<string, unknown>,
    createdAt: d.created_at,
    updatedAt: d.updated_at,
  };
}

function jobRepr(job: JobRow, kind: string): Record<string, unknown> {
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
  return `${workflowBase(ctx, wf.workflow, wf.owner).qualifiedReference as string}.${escapeName(node.name)}:${node.reference_id}`;
}

/** Notebook / transform representation with its current or last job and its tables. */
export async function nodeRepr(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  node: NodeRow,
): Promise<Record<string, unknown>> {
  const qualified = nodeReference(ctx, wf, node);
  const job = await latestJob(ctx.db, node.id);
  const active = job && (job.status === 'queued' || job.status === 'running');
  const sourceTable = await tableBaseByRef(c, ctx, node.source_table_ref);
  let outputTable: Record<string, unknown> | null = null;
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
): Promise<Record<string, unknown>[]> {
  if (!node.query) return [];
  const refs: string[] = [];
  try {
    await translateSql(node.query, (ref) => {
      const scope =
        ref.parts.length === 2
          ? wf.owner.name
          : (workflowBase(ctx, wf.workflow, wf.owner).qualifiedReference as string);
      refs.push(ref.parts.length === 3 ? ref.reference : `${scope}.${ref.reference}`);
      return '"unused"';
    });
  } catch {
    return [];
  }
  const out: Record<string, unknown>[] = [];
  for (const ref of refs) {
    const table = await tableBaseByRef(c, ctx, ref);
    if (table) out.push(table);
  }
  return out;
}
