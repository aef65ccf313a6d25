import { namesMatch } from '@redivis-ts/core';
import { Hono } from 'hono';
import { requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, forbidden, notFound, readJsonObject } from '../http/errors.js';
import { findMembership, findOrgByName, findUserByName, isOrgAdmin } from '../store/owners.js';
import type { SecretRow } from '../store/secrets.js';

/**
 * Secrets (`GET /users/:u/secrets/:name`, `GET /organizations/:o/secrets/:name`) and member comments
 * (`POST /organizations/:o/members/:u/comments`): client-only endpoints. A user's secrets are visible to that user
 * only, an organization's to its approved members; anyone else gets 404, so secrets' existence does not leak.
 */
export function secretsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const secret = async (kind: 'user' | 'organization', ownerId: string, name: string, label: string) => {
    const rows = await ctx.db.all<SecretRow>('SELECT * FROM secrets WHERE owner_kind = ? AND owner_id = ?', [
      kind,
      ownerId,
    ]);
    const row = rows.find((s) => namesMatch(s.name, name));
    if (!row) throw notFound(`Secret "${name}" not found for ${label}`);
    return { kind: 'secret', name: row.name, value: row.value, createdAt: row.created_at };
  };

  app.get('/users/:userName/secrets/:name', async (c) => {
    const caller = requireUser(c);
    const user = await findUserByName(ctx.db, c.req.param('userName'));
    if (!user || user.id !== caller.id) throw notFound(`Secret "${c.req.param('name')}" not found`);
    return c.json(await secret('user', user.id, c.req.param('name'), user.name));
  });

  app.get('/organizations/:orgName/secrets/:name', async (c) => {
    const caller = requireUser(c);
    const org = await findOrgByName(ctx.db, c.req.param('orgName'));
    const membership = org && (await findMembership(ctx.db, org.id, caller.id));
    if (!org || membership?.status !== 'approved')
      throw notFound(`Secret "${c.req.param('name')}" not found`);
    return c.json(await secret('organization', org.id, c.req.param('name'), org.name));
  });

  app.post('/organizations/:orgName/members/:userName/comments', async (c) => {
    const caller = requireUser(c);
    requireScope(c, 'organization.write');
    const org = await findOrgByName(ctx.db, c.req.param('orgName'));
    if (!org) throw notFound(`Organization "${c.req.param('orgName')}" not found`);
    if (!(await isOrgAdmin(ctx.db, org.id, caller.id)))
      throw forbidden('Only administrators can comment on members');
    const user = await findUserByName(ctx.db, c.req.param('userName'));
    const member = user && (await findMembership(ctx.db, org.id, user.id));
    if (!user || !member) throw notFound(`Member "${c.req.param('userName')}" not found`);
    const body = await readJsonObject(c);
    if (typeof body.text !== 'string' || !body.text.trim()) throw badRequest('text is required');
    const t = ctx.now();
    await ctx.db.run('INSERT INTO member_comments VALUES (?, ?, ?, ?, ?)', [
      org.id,
      user.id,
      caller.id,
      body.text,
      t,
    ]);
    return c.json({
      kind: 'memberComment',
      text: body.text,
      author: { kind: 'user', name: caller.name },
      createdAt: t,
    });
  });

  return app;
}
