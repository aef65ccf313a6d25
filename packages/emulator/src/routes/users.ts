import { Hono } from 'hono';
import type { UserRow } from '../store/rows.js';
import { requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { userRepr } from '../repr/owners.js';
import { createDataset, listDatasets } from './datasets.js';
import { listWorkflows, userOwner } from './owner-lists.js';

/** User endpoints: `/users/me`, get, datasets list/create, workflows list. */
export function usersRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/users/me', (c) => c.json(userRepr(requireUser(c))));
  app.get('/users/:userName', async (c) => {
    const owner = await userOwner(ctx, c.req.param('userName'));
    return c.json(userRepr(owner.row as UserRow));
  });
  app.get('/users/:userName/datasets', async (c) =>
    c.json(await listDatasets(c, ctx, await userOwner(ctx, c.req.param('userName')))),
  );
  app.post('/users/:userName/datasets', async (c) =>
    createDataset(c, ctx, await userOwner(ctx, c.req.param('userName'))),
  );
  app.get('/users/:userName/workflows', async (c) =>
    c.json(await listWorkflows(c, ctx, await userOwner(ctx, c.req.param('userName')))),
  );
  return app;
}
