import { Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { organizationRepr } from '../repr/owners.js';
import type { OrgRow } from '../store/rows.js';
import { createDataset, listDatasets } from './datasets.js';
import { listWorkflows, orgOwner } from './owner-lists.js';

/** Organization endpoints: get, datasets list/create, workflows list. */
export function organizationsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Not documented (the clients have "no get endpoint"); served so existence checks and curl work.
  app.get('/organizations/:organizationName', async (c) => {
    const owner = await orgOwner(ctx, c.req.param('organizationName'));
    return c.json(organizationRepr(owner.row as OrgRow));
  });
  app.get('/organizations/:organizationName/datasets', async (c) =>
    c.json(await listDatasets(c, ctx, await orgOwner(ctx, c.req.param('organizationName')))),
  );
  app.post('/organizations/:organizationName/datasets', async (c) =>
    createDataset(c, ctx, await orgOwner(ctx, c.req.param('organizationName'))),
  );
  app.get('/organizations/:organizationName/workflows', async (c) =>
    c.json(await listWorkflows(c, ctx, await orgOwner(ctx, c.req.param('organizationName')))),
  );
  return app;
}
