import { namesMatch } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import { assertAccess } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { ApiError, badRequest, conflict, notFound, okText, readJsonObject } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import { type ResolvedWorkflow, resolveDataset, resolveWorkflow } from '../http/resolve.js';
import { datasourceRepr, nodeRepr, parameterRepr } from '../repr/workflow-extras.js';
import { randomId } from '../store/ids.js';
import {
  type DatasourceRow,
  inferParameterType,
  type NodeRow,
  type ParameterRow,
} from '../store/workflow-extras.js';
import { workflowFor } from './workflow-access.js';
import { workflowNodesRoutes } from './workflow-nodes.js';

const PARAMETER_TYPES = new Set(['string', 'integer', 'float', 'boolean', 'date', 'dateTime', 'time']);

function parameterValues(body: Record<string, unknown>, required: boolean): unknown[] | undefined {
  if (body.values === undefined && !required) return undefined;
  const values = body.values;
  if (!Array.isArray(values) || values.some((v) => v !== null && typeof v === 'object')) {
    throw badRequest('values must be an array of scalar values');
  }
  return values;
}

function parameterType(
  body: Record<string, unknown>,
  values: readonly unknown[] | undefined,
): string | undefined {
  if (body.type === undefined || body.type === null) return values ? inferParameterType(values) : undefined;
  if (typeof body.type !== 'string' || !PARAMETER_TYPES.has(body.type)) {
    throw badRequest(`type must be one of ${[...PARAMETER_TYPES].join(', ')}`);
  }
  return body.type;
}

async function findParameter(
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  name: string,
): Promise<ParameterRow> {
  const rows = await ctx.db.all<ParameterRow>('SELECT * FROM wf_parameters WHERE workflow_id = ?', [
    wf.workflow.id,
  ]);
  const row = rows.find((p) => namesMatch(p.name, name));
  if (!row) throw notFound(`Parameter "${name}" not found`);
  return row;
}

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

async function listNodes(c: Context<AppEnv>, ctx: EmulatorContext, kind: NodeRow['kind']) {
  const wf = await workflowFor(c, ctx, 'data');
  const rows = await ctx.db.all<NodeRow>(
    'SELECT * FROM wf_nodes WHERE workflow_id = ? AND kind = ? ORDER BY created_at, id',
    [wf.workflow.id, kind],
  );
  const items = await Promise.all(rows.map((n) => nodeRepr(c, ctx, wf, n)));
  return c.json(paginateArray(c, `${kind}List`, items));
}

/**
 * Workflow extras (client-only endpoints, client-libraries §0): parameters, data sources, and the notebook /
 * transform lists; the node endpoints themselves are in workflowNodes.ts.
 */
export function workflowExtrasRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/workflows/:workflowRef/notebooks', (c) => listNodes(c, ctx, 'notebook'));
  app.get('/workflows/:workflowRef/transforms', (c) => listNodes(c, ctx, 'transform'));

  app.get('/workflows/:workflowRef/parameters', async (c) => {
    const wf = await workflowFor(c, ctx, 'data');
    const rows = await ctx.db.all<ParameterRow>(
      'SELECT * FROM wf_parameters WHERE workflow_id = ? ORDER BY created_at, name',
      [wf.workflow.id],
    );
    return c.json(
      paginateArray(
        c,
        'parameterList',
        rows.map((p) => parameterRepr(ctx, wf, p)),
      ),
    );
  });

  app.post('/workflows/:workflowRef/parameters', async (c) => {
    const wf = await workflowFor(c, ctx, 'edit');
    const body = await readJsonObject(c);
    if (typeof body.name !== 'string' || !/^\w+$/.test(body.name)) {
      throw badRequest('name is required and may hold only letters, digits and underscores');
    }
    const values = parameterValues(body, true) as unknown[];
    const type = parameterType(body, values) as string;
    const name = body.name;
    const t = ctx.now();
    const id = randomId(9);
    // Check and insert in one transaction, so parallel creates of one name cannot both pass the check.
    await ctx.db.transaction(async (tx) => {
      const existing = await tx.all<ParameterRow>('SELECT * FROM wf_parameters WHERE workflow_id = ?', [
        wf.workflow.id,
      ]);
      if (existing.some((p) => namesMatch(p.name, name))) {
        throw conflict(`A parameter named "${name}" already exists in this workflow`);
      }
      await tx.run('INSERT INTO wf_parameters VALUES (?, ?, ?, ?, ?, ?, ?)', [
        id,
        wf.workflow.id,
        name,
        type,
        JSON.stringify(values),
        t,
        t,
      ]);
    });
    return c.json(parameterRepr(ctx, wf, await findParameter(ctx, wf, body.name)));
  });

  app.get('/workflows/:workflowRef/parameters/:name', async (c) => {
    const wf = await workflowFor(c, ctx, 'data');
    return c.json(parameterRepr(ctx, wf, await findParameter(ctx, wf, c.req.param('name'))));
  });

  app.patch('/workflows/:workflowRef/parameters/:name', async (c) => {
    const wf = await workflowFor(c, ctx, 'edit');
    const row = await findParameter(ctx, wf, c.req.param('name'));
    const body = await readJsonObject(c);
    const values = parameterValues(body, false);
    const type = parameterType(body, values) ?? row.type;
    let name = row.name;
    if (body.name !== undefined) {
      if (typeof body.name !== 'string' || !/^\w+$/.test(body.name)) throw badRequest('name must be a word');
      const clash = await ctx.db.one<{ n: number }>(
        'SELECT count(*) AS n FROM wf_parameters WHERE workflow_id = ? AND lower(name) = lower(?) AND id <> ?',
        [wf.workflow.id, body.name, row.id],
      );
      if (clash?.n) throw conflict(`A parameter named "${body.name}" already exists in this workflow`);
      name = body.name;
    }
    const changed = await ctx.db.run(
      'UPDATE wf_parameters SET name = ?, type = ?, "values" = ?, updated_at = ? WHERE id = ?',
      [name, type, values ? JSON.stringify(values) : row.values, ctx.now(), row.id],
    );
    if (!changed) throw notFound(`Parameter "${c.req.param('name')}" not found`);
    return c.json(parameterRepr(ctx, wf, await findParameter(ctx, wf, name)));
  });

  app.delete('/workflows/:workflowRef/parameters/:name', async (c) => {
    const wf = await workflowFor(c, ctx, 'edit');
    const row = await findParameter(ctx, wf, c.req.param('name'));
    // A parallel delete removed it first: 404, as a later request gets.
    if (!(await ctx.db.run('DELETE FROM wf_parameters WHERE id = ?', [row.id]))) {
      throw notFound(`Parameter "${c.req.param('name')}" not found`);
    }
    return okText(c);
  });

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

  app.route('/', workflowNodesRoutes(ctx));
  return app;
}
