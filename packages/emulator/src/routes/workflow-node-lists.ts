import { type Context, Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { paginateArray } from '../http/pagination.js';
import { nodeRepr } from '../repr/workflow-nodes.js';
import type { NodeRow } from '../store/workflow-nodes.js';
import { workflowFor } from './workflow-access.js';

async function listNodes(c: Context<AppEnv>, ctx: EmulatorContext, kind: NodeRow['kind']) {
  const wf = await workflowFor(c, ctx, 'data');
  const rows = await ctx.db.all<NodeRow>(
    'SELECT * FROM wf_nodes WHERE workflow_id = ? AND kind = ? ORDER BY created_at, id',
    [wf.workflow.id, kind],
  );
  const items = await Promise.all(rows.map((n) => nodeRepr(c, ctx, wf, n)));
  return c.json(paginateArray(c, `${kind}List`, items));
}

/** The notebook and transform lists of a workflow; the node endpoints themselves are in workflow-nodes.ts. */
export function workflowNodeListsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/workflows/:workflowRef/notebooks', (c) => listNodes(c, ctx, 'notebook'));
  app.get('/workflows/:workflowRef/transforms', (c) => listNodes(c, ctx, 'transform'));
  return app;
}
