import type { DatasetBaseProperties, DatasourceProperties, WorkflowBaseProperties } from '@redivis-ts/core';
import type { Context } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { type ResolvedWorkflow, resolveDataset, resolveWorkflow } from '../http/resolve.js';
import type { DatasourceRow } from '../store/workflow-datasources.js';
import { datasetBase } from './datasets.js';
import { quietly } from './quietly.js';
import { workflowBase, workflowUri } from './workflows.js';

/** Data source representation: `sourceDataset` or `sourceWorkflow` as base objects. */
export async function datasourceRepr(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  d: DatasourceRow,
): Promise<DatasourceProperties> {
  let sourceDataset: DatasetBaseProperties | null = null;
  let sourceWorkflow: WorkflowBaseProperties | null = null;
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
