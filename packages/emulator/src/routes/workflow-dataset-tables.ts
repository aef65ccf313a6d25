import type { Context } from 'hono';
import { atLeast } from '../auth/levels.js';
import { scopedLevel } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { type ResolvedDataset, resolveDataset } from '../http/resolve.js';
import type { TableRow } from '../store/rows.js';
import type { DatasourceRow } from '../store/workflow-datasources.js';

/** A dataset table reached through one of a workflow's data sources, with the dataset it was resolved in. */
export interface DatasetSourceTable {
  table: TableRow;
  dataset: ResolvedDataset;
}

/**
 * The tables of the datasets a workflow uses as data sources (`includeDatasetTables=true`, the JS client's
 * `/projects/:ref/tables`): each source dataset's version as its data source names it (current by default), its
 * non-sample tables, skipping sources the caller cannot see at metadata level (they are not listed rather than
 * failing the whole list) and sources that no longer resolve.
 */
export async function datasetSourceTables(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  workflowId: string,
): Promise<DatasetSourceTable[]> {
  const sources = await ctx.db.all<DatasourceRow>(
    "SELECT * FROM wf_datasources WHERE workflow_id = ? AND source_kind = 'dataset' ORDER BY created_at, id",
    [workflowId],
  );
  const out: DatasetSourceTable[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    let dataset: ResolvedDataset;
    try {
      dataset = await resolveDataset(c, ctx, source.source_ref);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 400)) continue;
      throw e;
    }
    const needed = dataset.minimumLevel === 'edit' ? 'edit' : 'metadata';
    if (!dataset.version || !atLeast(scopedLevel(c, dataset.access), needed)) continue;
    if (seen.has(dataset.version.id)) continue;
    seen.add(dataset.version.id);
    const tables = await ctx.db.all<TableRow>(
      'SELECT * FROM tables WHERE version_id = ? AND NOT is_sample ORDER BY created_at, lower(name), id',
      [dataset.version.id],
    );
    for (const table of tables) out.push({ table, dataset });
  }
  return out;
}
