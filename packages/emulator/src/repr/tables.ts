import type { TableContainerProperties, TableProperties, UploadMergeStrategy } from '@redivis-ts/core';
import { createHash } from 'node:crypto';
import { escapeName } from '@redivis-ts/core';
import type { Context } from 'hono';
import { exportRefusal } from '../auth/export-restrictions.js';
import { atLeast, maxLevel } from '../auth/levels.js';
import { scopedLevel } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import type { ResolvedTable } from '../http/resolve.js';
import type { TableRow } from '../store/rows.js';
import { datasetBase } from './datasets.js';
import { workflowBase } from './workflows.js';

/** The stored merge strategy as the API names it (`replace` or the default `append`). */
export function mergeStrategy(stored: string): UploadMergeStrategy {
  return stored === 'replace' ? 'replace' : 'append';
}

/** The container fields a table's references derive from. */
export function tableContainer(
  ctx: EmulatorContext,
  r: Pick<ResolvedTable, 'container'>,
): TableContainerProperties {
  if (r.container.kind === 'dataset') {
    const d = r.container.dataset;
    return datasetBase(ctx, d.dataset, d.owner, d.version, d.sample);
  }
  return workflowBase(ctx, r.container.workflow.workflow, r.container.workflow.owner);
}

/** Table list / get representation (spec §6.7) of `table` inside the resolved container. */
export function tableRepr(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  r: Pick<ResolvedTable, 'container' | 'access'>,
  table: TableRow,
  variableCount: number,
  mode: 'list' | 'get',
): TableProperties {
  const container = tableContainer(ctx, r);
  const qualified = `${container.qualifiedReference}.${escapeName(table.name)}:${table.reference_id}`;
  const body: TableProperties = {
    kind: 'table',
    uri: `/tables/${qualified}`,
    id: table.id,
    url: `${ctx.origin}/tables/${table.id}`,
    qualifiedReference: qualified,
    scopedReference: `${escapeName(table.name)}:${table.reference_id}`,
    referenceId: table.reference_id,
    name: table.name,
    hash: createHash('md5').update(`${table.storage}:${table.num_rows}:${table.updated_at}`).digest('hex'),
    isSample: table.is_sample,
    isFileIndex: table.is_file_index,
    createdAt: table.created_at,
    updatedAt: table.updated_at,
    description: table.description,
    numRows: table.num_rows,
    numBytes: table.num_bytes,
    uploadMergeStrategy:
      table.container_kind === 'dataset' ? mergeStrategy(table.upload_merge_strategy) : null,
    variableCount,
    container,
  };
  if (mode === 'get') {
    const level = scopedLevel(c, r.access);
    const restricted =
      r.container.kind === 'dataset' &&
      exportRefusal(c, {
        dataset: r.container.dataset.dataset,
        userLevel: r.access.userLevel,
        userName: c.get('auth').user?.name,
        rows: table.num_rows,
        bytes: table.num_bytes,
      }) !== undefined;
    Object.assign(body, {
      canDownload: atLeast(level, table.is_sample ? 'sample' : 'data') && !restricted,
      entity: table.entity === null ? null : { name: table.entity },
      temporalRange: null,
      temporalPrecision: null,
      geoBBox: null,
      publicAccessLevel: r.access.publicLevel,
      accessLevel: maxLevel(r.access.publicLevel, r.access.userLevel),
      scopedAccessLevel: level,
    });
  }
  return body;
}
