import { namesMatch, PARAMETER_TYPES } from '@redivis-ts/core';
import { Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, conflict, notFound, okText, readJsonObject } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import type { ResolvedWorkflow } from '../http/resolve.js';
import { parameterRepr } from '../repr/workflow-parameters.js';
import { randomId } from '../store/ids.js';
import { inferParameterType, type ParameterRow } from '../store/workflow-parameters.js';
import { workflowFor } from './workflow-access.js';

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
  if (typeof body.type !== 'string' || !(PARAMETER_TYPES as readonly string[]).includes(body.type)) {
    throw badRequest(`type must be one of ${PARAMETER_TYPES.join(', ')}`);
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

/** Workflow parameters (client-only endpoints, client-libraries §0): list, create, get, patch, delete. */
export function workflowParametersRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

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

  return app;
}
