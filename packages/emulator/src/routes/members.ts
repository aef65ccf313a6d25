import { type Context, Hono } from 'hono';
import { requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { csvParam, optEnum, optStringArray } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, forbidden, notFound, readJsonObject } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import { memberRepr } from '../repr/members.js';
import { datasetAccessLevel } from '../store/datasets.js';
import { findMembership, findUserByName, isOrgAdmin, type Owner } from '../store/owners.js';
import type { DatasetRow, MemberRow } from '../store/rows.js';
import { atLeast } from '../auth/levels.js';
import { orgOwner } from './owner-lists.js';
import type { UserRow } from '../store/rows.js';

const STATUSES = ['pending', 'approved', 'rejected', 'revoked', 'left'] as const;

/** 401 anonymous, 404 unknown org, 403 unless an administrator, then 403 insufficient_scope unless `scope`. */
export async function requireOrgAdmin(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  scope: string,
): Promise<Owner> {
  const user = requireUser(c);
  const org = await orgOwner(ctx, c.req.param('organizationName') as string);
  if (!(await isOrgAdmin(ctx.db, org.id, user.id)))
    throw forbidden(`Only administrators of ${org.name} may do this`);
  requireScope(c, scope);
  return org;
}

async function memberOf(
  ctx: EmulatorContext,
  org: Owner,
  userName: string,
): Promise<{ m: MemberRow; user: UserRow }> {
  const user = await findUserByName(ctx.db, userName);
  const m = user && (await findMembership(ctx.db, org.id, user.id));
  if (!user || !m) throw notFound(`"${userName}" is not a member of ${org.name}`);
  return { m, user };
}

/** Members endpoints (spec §5.5 and the client-only PATCH). */
export function membersRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/organizations/:organizationName/members', async (c) => {
    const org = await requireOrgAdmin(c, ctx, 'organization.read');
    // The docs call the filter `status`; the Python client sends `statuses`.
    const statuses = csvParam(c.req.query('statuses') ?? c.req.query('status'));
    for (const s of statuses ?? []) {
      if (!(STATUSES as readonly string[]).includes(s)) throw badRequest(`Unknown member status "${s}"`);
    }
    const labels = csvParam(c.req.query('labels'))?.map((l) => l.toLowerCase());
    const all = csvParam(c.req.query('hasDataAccessToAll'));
    const any = csvParam(c.req.query('hasDataAccessToAny'));
    const rows = await ctx.db.all<MemberRow & { user_name: string }>(
      `SELECT m.*, u.name AS user_name FROM members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ?
       ORDER BY lower(u.name)`,
      [org.id],
    );
    const datasets =
      all || any
        ? await ctx.db.all<DatasetRow>(
            "SELECT * FROM datasets WHERE owner_kind = 'organization' AND owner_id = ?",
            [org.id],
          )
        : [];
    const byRef = (ref: string): DatasetRow => {
      const [name, id] = ref.split(':');
      const d = datasets.find((x) =>
        id ? x.reference_id === id : x.name.toLowerCase() === (name ?? '').toLowerCase(),
      );
      if (!d) throw badRequest(`Unknown dataset "${ref}" in a data-access filter`);
      return d;
    };
    const kept: MemberRow[] = [];
    for (const m of rows) {
      if (statuses?.length && !statuses.includes(m.status)) continue;
      if (labels?.length && !(JSON.parse(m.labels) as string[]).some((l) => labels.includes(l))) continue;
      const hasData = async (ref: string) =>
        atLeast(await datasetAccessLevel(ctx.db, byRef(ref), m.user_id), 'data');
      if (all?.length && !(await Promise.all(all.map(hasData))).every(Boolean)) continue;
      if (any?.length && !(await Promise.all(any.map(hasData))).some(Boolean)) continue;
      kept.push(m);
    }
    const page = paginateArray(c, 'memberList', kept);
    return c.json({ ...page, results: await Promise.all(page.results.map((m) => memberRepr(ctx, org, m))) });
  });

  app.get('/organizations/:organizationName/members/:userName', async (c) => {
    const org = await requireOrgAdmin(c, ctx, 'organization.read');
    const { m } = await memberOf(ctx, org, c.req.param('userName'));
    return c.json(await memberRepr(ctx, org, m));
  });

  app.patch('/organizations/:organizationName/members/:userName', async (c) => {
    const org = await requireOrgAdmin(c, ctx, 'organization.write');
    const { m } = await memberOf(ctx, org, c.req.param('userName'));
    const body = await readJsonObject(c);
    const labels = optStringArray(body, 'labels')?.map((l) => l.trim().toLowerCase());
    const status = optEnum(body, 'status', STATUSES);
    const t = ctx.now();
    const stamp =
      status === 'approved'
        ? 'approved_at'
        : status === 'rejected'
          ? 'rejected_at'
          : status === 'left'
            ? 'left_at'
            : null;
    const changed = await ctx.db.run(
      `UPDATE members SET labels = coalesce(?, labels), status = coalesce(?, status)
         ${stamp ? `, ${stamp} = ?` : ''} WHERE org_id = ? AND user_id = ?`,
      [
        labels ? JSON.stringify([...new Set(labels)]) : null,
        status ?? null,
        ...(stamp ? [t] : []),
        org.id,
        m.user_id,
      ],
    );
    if (!changed) throw notFound(`"${c.req.param('userName')}" is not a member of ${org.name}`);
    const updated = (await findMembership(ctx.db, org.id, m.user_id)) as MemberRow;
    return c.json(await memberRepr(ctx, org, updated));
  });

  return app;
}
