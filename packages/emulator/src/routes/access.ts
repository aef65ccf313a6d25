import type { AccessProperties } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import { type AccessLevel, atLeast, isAccessLevel } from '../auth/levels.js';
import { requireScope, requireUser } from '../auth/request.js';
import type { UserRow } from '../store/rows.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import { type ResolvedDataset, resolveDataset } from '../http/resolve.js';
import { datasetBase } from '../repr/datasets.js';
import { userRepr } from '../repr/owners.js';
import { currentVersion, datasetAccessLevel } from '../store/datasets.js';
import { findUserByName, ownerById } from '../store/owners.js';
import type { DatasetRow } from '../store/rows.js';
import { requireOrgAdmin } from './members.js';

function minLevel(c: Context<AppEnv>): AccessLevel {
  const raw = c.req.query('minAccessLevel');
  if (raw === undefined) return 'none';
  if (!isAccessLevel(raw))
    throw badRequest(`minAccessLevel must be one of none, overview, metadata, sample, data, edit`);
  return raw;
}

/** Administering a dataset (owner, editor or org admin) with `organization.read` (spec §5.1). */
async function administered(c: Context<AppEnv>, ctx: EmulatorContext): Promise<ResolvedDataset> {
  requireUser(c);
  const r = await resolveDataset(c, ctx, c.req.param('datasetRef') as string);
  if (!atLeast(r.access.userLevel, 'overview') && !atLeast(r.access.publicLevel, 'overview')) {
    throw notFound(`${r.access.label} not found`);
  }
  if (!atLeast(r.access.userLevel, 'edit'))
    throw forbidden(`Only administrators of ${r.access.label} may list its access`);
  requireScope(c, 'organization.read');
  return r;
}

async function accessRepr(
  ctx: EmulatorContext,
  dataset: DatasetRow,
  user: UserRow,
): Promise<AccessProperties> {
  const owner = await ownerById(ctx.db, dataset.owner_kind, dataset.owner_id);
  return {
    kind: 'access',
    accessLevel: await datasetAccessLevel(ctx.db, dataset, user.id),
    dataset: datasetBase(ctx, dataset, owner, (await currentVersion(ctx.db, dataset.id)) ?? null),
    user: userRepr(user),
  };
}

/** Access endpoints (spec §5.1, beta). */
export function accessRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/datasets/:datasetRef/access', async (c) => {
    const r = await administered(c, ctx);
    const min = minLevel(c);
    // Org datasets: every member; user datasets: the owner and everyone it was shared with.
    const users =
      r.dataset.owner_kind === 'organization'
        ? await ctx.db.all<UserRow>(
            'SELECT u.* FROM members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY lower(u.name)',
            [r.dataset.owner_id],
          )
        : await ctx.db.all<UserRow>(
            `SELECT * FROM users WHERE id = ? OR id IN (SELECT user_id FROM dataset_access WHERE dataset_id = ?)
             ORDER BY lower(name)`,
            [r.dataset.owner_id, r.dataset.id],
          );
    const entries = await Promise.all(users.map((u) => accessRepr(ctx, r.dataset, u)));
    const kept = entries.filter((e) => atLeast(e.accessLevel as AccessLevel, min));
    return c.json(paginateArray(c, 'accessList', kept));
  });

  app.get('/datasets/:datasetRef/access/:userName', async (c) => {
    const r = await administered(c, ctx);
    const user = await findUserByName(ctx.db, c.req.param('userName'));
    if (!user) throw notFound(`User "${c.req.param('userName')}" not found`);
    return c.json(await accessRepr(ctx, r.dataset, user));
  });

  app.get('/organizations/:organizationName/members/:userName/access', async (c) => {
    const org = await requireOrgAdmin(c, ctx, 'organization.read');
    const user = await findUserByName(ctx.db, c.req.param('userName'));
    const member =
      user && (await ctx.db.one('SELECT 1 FROM members WHERE org_id = ? AND user_id = ?', [org.id, user.id]));
    if (!user || !member) throw notFound(`"${c.req.param('userName')}" is not a member of ${org.name}`);
    const min = minLevel(c);
    const datasets = await ctx.db.all<DatasetRow>(
      "SELECT * FROM datasets WHERE owner_kind = 'organization' AND owner_id = ? ORDER BY lower(name)",
      [org.id],
    );
    const entries = await Promise.all(datasets.map((d) => accessRepr(ctx, d, user)));
    return c.json(
      paginateArray(
        c,
        'accessList',
        entries.filter((e) => atLeast(e.accessLevel as AccessLevel, min)),
      ),
    );
  });

  return app;
}
