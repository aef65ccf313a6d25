import type { Context } from 'hono';
import type { AccessLevel } from '../auth/levels.js';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { type ResolvedWorkflow, resolveWorkflow } from '../http/resolve.js';

// Its own module so the workflow parameters, data sources, node lists and nodes routes share it without importing each other.
/** The workflow in the path, after checking the caller may read it (`data`) or edit it (`edit`). */
export async function workflowFor(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  needed: AccessLevel,
  ref = c.req.param('workflowRef') as string,
): Promise<ResolvedWorkflow> {
  if (needed === 'edit') {
    requireUser(c);
    requireScope(c, 'workflow.write');
  }
  const wf = await resolveWorkflow(c, ctx, ref);
  assertAccess(c, wf.access, needed);
  return wf;
}
