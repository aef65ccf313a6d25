import { Hono } from 'hono';
import { assertAccess } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { resolveWorkflow } from '../http/resolve.js';
import { workflowRepr } from '../repr/workflows.js';

/** Workflow get/HEAD (spec §5.12); lists live on owners, tables in tables.ts. */
export function workflowsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/workflows/:workflowRef', async (c) => {
    const r = await resolveWorkflow(c, ctx, c.req.param('workflowRef'));
    assertAccess(c, r.access, 'overview');
    return c.json(await workflowRepr(ctx, r, 'get'));
  });
  return app;
}
