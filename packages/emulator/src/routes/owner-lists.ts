import type { WorkflowProperties } from '@redivis-ts/core';
import type { Context } from 'hono';
import { atLeast, scopeCeiling } from '../auth/levels.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { notFound } from '../http/errors.js';
import { type ListEnvelope, paginateArray } from '../http/pagination.js';
import type { ResolvedWorkflow } from '../http/resolve.js';
import { workflowRepr } from '../repr/workflows.js';
import { findOrgByName, findUserByName, isOrgAdmin, type Owner } from '../store/owners.js';
import type { WorkflowRow } from '../store/rows.js';

/** The user named in the path, or 404. */
export async function userOwner(ctx: EmulatorContext, name: string): Promise<Owner> {
  const row = await findUserByName(ctx.db.cached, name);
  if (!row) throw notFound(`User "${name}" not found`);
  return { kind: 'user', id: row.id, name: row.name, row };
}

/** The organization named in the path, or 404. */
export async function orgOwner(ctx: EmulatorContext, name: string): Promise<Owner> {
  const row = await findOrgByName(ctx.db.cached, name);
  if (!row) throw notFound(`Organization "${name}" not found`);
  return { kind: 'organization', id: row.id, name: row.name, row };
}

/** Workflows of an owner the caller can view (public ones; else the owner, org admins and collaborators). */
export async function listWorkflows(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  owner: Owner,
): Promise<ListEnvelope<WorkflowProperties>> {
  const rows = await ctx.db.all<WorkflowRow>(
    'SELECT * FROM workflows WHERE owner_kind = ? AND owner_id = ? ORDER BY lower(name), id',
    [owner.kind, owner.id],
  );
  const user = c.get('auth').user;
  const ceiling = scopeCeiling(c.get('auth').scopes);
  const visible: ResolvedWorkflow[] = [];
  for (const wf of rows) {
    let userLevel: 'none' | 'data' | 'edit' = 'none';
    if (user) {
      if (wf.owner_kind === 'user' && wf.owner_id === user.id) userLevel = 'edit';
      else if (wf.owner_kind === 'organization' && (await isOrgAdmin(ctx.db, wf.owner_id, user.id)))
        userLevel = 'edit';
      else {
        const g = await ctx.db.one<{ level: string }>(
          'SELECT level FROM workflow_access WHERE workflow_id = ? AND user_id = ?',
          [wf.id, user.id],
        );
        if (g) userLevel = g.level === 'edit' ? 'edit' : 'data';
      }
    }
    const publicLevel = wf.public_access_level === 'view' ? 'data' : 'none';
    if (publicLevel === 'none' && !(userLevel !== 'none' && atLeast(ceiling, 'overview'))) continue;
    visible.push({ workflow: wf, owner, access: { label: `Workflow "${wf.name}"`, publicLevel, userLevel } });
  }
  const page = paginateArray(c, 'workflowList', visible);
  return { ...page, results: await Promise.all(page.results.map((w) => workflowRepr(ctx, w, 'list'))) };
}
