import type { WorkflowBaseProperties, WorkflowProperties } from '@redivis-ts/core';
import { escapeName } from '@redivis-ts/core';
import type { EmulatorContext } from '../context.js';
import type { ResolvedWorkflow } from '../http/resolve.js';
import type { Owner } from '../store/owners.js';
import type { WorkflowRow } from '../store/rows.js';
import { ownerRepr } from './owners.js';

/** `workflow.base` (spec §6.12). */
export function workflowBase(ctx: EmulatorContext, wf: WorkflowRow, owner: Owner) {
  const qualified = `${owner.name}.${escapeName(wf.name)}:${wf.reference_id}`;
  return {
    kind: 'workflow' as const,
    id: wf.id,
    qualifiedReference: qualified,
    scopedReference: qualified.slice(owner.name.length + 1),
    referenceId: wf.reference_id,
    name: wf.name,
    url: `${ctx.origin}/workflows/${wf.id}`,
    uri: `/workflows/${qualified}`,
    owner: ownerRepr(owner),
  } satisfies WorkflowBaseProperties;
}

/** The workflow's API path (`/workflows/owner.name:ref`). */
export function workflowUri(ctx: EmulatorContext, wf: ResolvedWorkflow): string {
  return workflowBase(ctx, wf.workflow, wf.owner).uri;
}

/** Workflow list / get representation. */
export async function workflowRepr(
  ctx: EmulatorContext,
  resolved: ResolvedWorkflow,
  mode: 'list' | 'get',
): Promise<WorkflowProperties> {
  const { workflow: wf, owner, access } = resolved;
  const body: WorkflowProperties = {
    ...workflowBase(ctx, wf, owner),
    createdAt: wf.created_at,
    publicAccessLevel: wf.public_access_level === 'view' ? 'view' : 'none',
    studyAccessLevel: null,
    accessLevel:
      access.userLevel === 'edit'
        ? 'edit'
        : access.userLevel === 'none' && wf.public_access_level !== 'view'
          ? 'none'
          : 'view',
    study: null,
  };
  if (mode === 'get') {
    const n = await ctx.db.one<{ n: number }>('SELECT count(*) AS n FROM tables WHERE workflow_id = ?', [
      wf.id,
    ]);
    Object.assign(body, {
      lastActive: wf.last_active,
      tableCount: n?.n ?? 0,
      transformCount: 0,
      notebookCount: 0,
      description: wf.description,
    });
  }
  return body;
}
