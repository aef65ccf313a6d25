import { type Context, Hono } from 'hono';
import { assertAccess } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { ApiError, badRequest, notFound, readJsonObject } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import { type ResolvedWorkflow, resolveDataset, resolveWorkflow } from '../http/resolve.js';
import { datasourceRepr } from '../repr/workflow-datasources.js';
import { randomId } from '../store/ids.js';
import type { DatasourceRow } from '../store/workflow-datasources.js';
import { workflowFor } from './workflow-access.js';

/** A data source by id, or by the reference of its source dataset / workflow (the Python client's URI form). */
async function findDatasource(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  source: string,
): Promise<DatasourceRow> {
  const rows = await ctx.db.all<DatasourceRow>('SELECT * FROM wf_datasources WHERE workflow_id = ?', [
    wf.workflow.id,
  ]);
  const byId = rows.find((d) => d.id === source);
  if (byId) return byId;
  for (const [kind, resolve] of [
    ['dataset', async (r: string) => (await resolveDataset(c, ctx, r)).dataset.id],
    ['workflow', async (r: string) => (await resolveWorkflow(c, ctx, r)).workflow.id],
  ] as const) {
    const target = await resolve(source).catch((e: unknown) => {
      if (e instanceof ApiError && e.status < 500) return undefined;
      throw e;
    });
    if (!target) continue;
    for (const d of rows.filter((r) => r.source_kind === kind)) {
      const id = await resolve(d.source_ref).catch(() => undefined);
      if (id === target) return d;
    }
  }
  throw notFound(`Data source "${source}" not found in this workflow`);
}

/** Which kind a source reference names, checking the caller can see it. */
async function sourceOf(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  body: Record<string, unknown>,
): Promise<{ kind: 'dataset' | 'workflow'; ref: string } | undefined> {
  const dataset = body.sourceDataset;
  const workflow = body.sourceWorkflow;
  if (typeof dataset === 'string' && dataset) {
    const r = await resolveDataset(c, ctx, dataset);
    assertAccess(c, r.access, 'overview');
    return { kind: 'dataset', ref: dataset };
  }
  if (typeof workflow === 'string' && workflow) {
    const r = await resolveWorkflow(c, ctx, workflow);
    assertAccess(c, r.access, 'data');
    return { kind: 'workflow', ref: workflow };
  }
  if (dataset !== undefined || workflow !== undefined) {
    if (dataset !== null && workflow !== null)
      throw badRequest('sourceDataset / sourceWorkflow must be references');
  }
  return undefined;
}

/**
 * Workflow data sources (client-only endpoints, client-libraries §0): list, create, get, patch; a data source is
 * addressed by its id or by the reference of its source dataset / workflow.
 */
export function workflowDatasourcesRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/workflows/:workflowRef/dataSources', async (c) => {
    const wf = await workflowFor(c, ctx, 'data');
    const rows = await ctx.db.all<DatasourceRow>(
      'SELECT * FROM wf_datasources WHERE workflow_id = ? ORDER BY created_at, id',
      [wf.workflow.id],
    );
    const items = await Promise.all(rows.map((d) => datasourceRepr(c, ctx, wf, d)));
    return c.json(paginateArray(c, 'dataSourceList', items));
  });

  app.post('/workflows/:workflowRef/dataSources', async (c) => {
    const wf = await workflowFor(c, ctx, 'edit');
    const source = await sourceOf(c, ctx, await readJsonObject(c));
    if (!source) throw badRequest('sourceDataset or sourceWorkflow is required');
    const t = ctx.now();
    const id = randomId(9);
    await ctx.db.run("INSERT INTO wf_datasources VALUES (?, ?, ?, ?, '{}', ?, ?)", [
      id,
      wf.workflow.id,
      source.kind,
      source.ref,
      t,
      t,
    ]);
    return c.json(await datasourceRepr(c, ctx, wf, await findDatasource(c, ctx, wf, id)));
  });

  app.get('/workflows/:workflowRef/dataSources/:source', async (c) => {
    const wf = await workflowFor(c, ctx, 'data');
    return c.json(await datasourceRepr(c, ctx, wf, await findDatasource(c, ctx, wf, c.req.param('source'))));
  });

  app.patch('/workflows/:workflowRef/dataSources/:source', async (c) => {
    const wf = await workflowFor(c, ctx, 'edit');
    const row = await findDatasource(c, ctx, wf, c.req.param('source'));
    const body = await readJsonObject(c);
    const source = await sourceOf(c, ctx, body);
    let mapped = row.mapped_tables;
    if (body.mappedTables !== undefined && body.mappedTables !== null) {
      if (typeof body.mappedTables !== 'object' || Array.isArray(body.mappedTables)) {
        throw badRequest('mappedTables must be an object of source table → destination table');
      }
      mapped = JSON.stringify(body.mappedTables);
    }
    const changed = await ctx.db.run(
      'UPDATE wf_datasources SET source_kind = ?, source_ref = ?, mapped_tables = ?, updated_at = ? WHERE id = ?',
      [source?.kind ?? row.source_kind, source?.ref ?? row.source_ref, mapped, ctx.now(), row.id],
    );
    if (!changed) throw notFound(`Data source "${c.req.param('source')}" not found`);
    return c.json(await datasourceRepr(c, ctx, wf, await findDatasource(c, ctx, wf, row.id)));
  });

  return app;
}
