import {
  type DatasetReference,
  InvalidReferenceError,
  namesMatch,
  parseDatasetReference,
  parseTableReference,
  parseWorkflowReference,
  type TableParentReference,
} from '@redivis-ts/core';
import type { Context } from 'hono';
import { type AccessLevel, atLeast, maxLevel } from '../auth/levels.js';
import { type AccessSubject, assertAccess } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { Queryable } from '../store/db.js';
import {
  currentVersion,
  datasetPublicLevel,
  datasetUserLevel,
  nextVersion,
  versionByNumber,
} from '../store/datasets.js';
import { findOwner, isOrgAdmin, type Owner, ownerById } from '../store/owners.js';
import type { DatasetRow, TableRow, VariableRow, VersionRow, WorkflowRow } from '../store/rows.js';
import { tableVariables } from '../store/tables.js';
import type { AppEnv } from './env.js';
import { badRequest, notFound } from './errors.js';

/** A dataset reference resolved against the store. */
export interface ResolvedDataset {
  dataset: DatasetRow;
  owner: Owner;
  /** The selected version; null when the dataset has no version the reference can select. */
  version: VersionRow | null;
  /** Whether the reference named the version (`:v1_0`, `:current`, `:next`) rather than defaulting. */
  versionExplicit: boolean;
  sample: boolean;
  /** For {@link assertAccess}; `userLevel` ignores token scopes. */
  access: AccessSubject;
  /** Lowest level any read through this reference needs: `edit` when it selects an unreleased version. */
  minimumLevel: AccessLevel;
}

/** A workflow reference resolved against the store. */
export interface ResolvedWorkflow {
  workflow: WorkflowRow;
  owner: Owner;
  access: AccessSubject;
}

/** A table reference resolved against the store. */
export interface ResolvedTable {
  table: TableRow;
  variables: VariableRow[];
  container: { kind: 'dataset'; dataset: ResolvedDataset } | { kind: 'workflow'; workflow: ResolvedWorkflow };
  access: AccessSubject;
  minimumLevel: AccessLevel;
}

function flag(c: Context, name: string): boolean {
  const v = c.req.query(name);
  return v !== undefined && v !== 'false' && v !== '0';
}

function parse<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InvalidReferenceError) throw badRequest(e.message);
    throw e;
  }
}

/** Picks the row a `name[:referenceId]` designates, applying exactReferences / strictReferences. */
function pick<T extends { name: string; reference_id: string }>(
  c: Context,
  what: string,
  rows: readonly T[],
  name: string,
  referenceId: string | undefined,
): T | undefined {
  if (referenceId === undefined) {
    if (flag(c, 'exactReferences')) {
      throw badRequest(`exactReferences: the ${what} reference "${name}" must include its reference id`);
    }
    return rows.find((r) => namesMatch(r.name, name));
  }
  const byId = rows.find((r) => r.reference_id.toLowerCase() === referenceId.toLowerCase());
  if (byId && flag(c, 'strictReferences') && !namesMatch(byId.name, name)) {
    throw badRequest(
      `strictReferences: the ${what} with reference id "${referenceId}" is named "${byId.name}", not "${name}"`,
    );
  }
  return byId;
}

async function userLevelForWorkflow(db: Queryable, wf: WorkflowRow, userId: string | undefined) {
  if (!userId) return 'none' as AccessLevel;
  if (wf.owner_kind === 'user' && wf.owner_id === userId) return 'edit' as AccessLevel;
  if (wf.owner_kind === 'organization' && (await isOrgAdmin(db, wf.owner_id, userId)))
    return 'edit' as AccessLevel;
  const grant = await db.one<{ level: string }>(
    'SELECT level FROM workflow_access WHERE workflow_id = ? AND user_id = ?',
    [wf.id, userId],
  );
  if (grant?.level === 'edit') return 'edit' as AccessLevel;
  return (grant?.level === 'view' ? 'data' : 'none') as AccessLevel;
}

async function datasetFrom(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  owner: Owner,
  ref: DatasetReference | (TableParentReference & { owner: string }),
  label: string,
): Promise<ResolvedDataset | undefined> {
  const rows = await ctx.db.cached.all<DatasetRow>(
    'SELECT * FROM datasets WHERE owner_kind = ? AND owner_id = ?',
    [owner.kind, owner.id],
  );
  const dataset = pick(c, 'dataset', rows, ref.name, ref.referenceId);
  if (!dataset) return undefined;
  const user = c.get('auth').user;
  const tag = ref.version;
  // The level and the version are independent lookups: they run at once on the reader connections.
  const [userLevel, current] = await Promise.all([
    datasetUserLevel(ctx.db.cached, dataset, user?.id),
    tag === undefined || tag === 'current' ? currentVersion(ctx.db.cached, dataset.id) : undefined,
  ]);
  const access: AccessSubject = {
    label: `Dataset "${label}"`,
    publicLevel: datasetPublicLevel(dataset),
    userLevel,
  };
  let version: VersionRow | undefined;
  if (tag === undefined || tag === 'current') {
    version = current;
    // A never-released dataset: `:current` (which the JS client always writes) resolves like the bare reference,
    // to `next`, which only editors may read (minimumLevel below).
    if (!version) version = await nextVersion(ctx.db.cached, dataset.id);
    if (!version && tag === 'current') throw notFound(`${access.label} has no released version`);
  } else if (tag === 'next') {
    version = await nextVersion(ctx.db.cached, dataset.id);
    // Only reveal whether a next version exists to callers who can see the dataset.
    if (!version) {
      assertAccess(c, access, 'overview');
      throw notFound(`${access.label} has no unreleased next version`);
    }
  } else {
    const m = /^v(\d+)_(\d+)$/.exec(tag);
    if (m) version = await versionByNumber(ctx.db.cached, dataset.id, Number(m[1]), Number(m[2]));
    if (!version || version.is_deleted) {
      assertAccess(c, access, 'overview');
      throw notFound(`${access.label} has no version ${tag.replace('_', '.')}`);
    }
  }
  return {
    dataset,
    owner,
    version: version ?? null,
    versionExplicit: tag !== undefined,
    sample: ref.sample === true,
    access,
    minimumLevel: version && !version.is_released ? 'edit' : 'none',
  };
}

/**
 * Resolves a dataset reference (a decoded path segment). 400 for malformed references and reference-flag
 * violations, 404 when nothing matches. Does not check the level the endpoint needs: call
 * {@link assertResolvedAccess}.
 */
export async function resolveDataset(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  input: string,
): Promise<ResolvedDataset> {
  const ref = parse(() => parseDatasetReference(input));
  const owner = await findOwner(ctx.db.cached, ref.owner);
  const resolved = owner && (await datasetFrom(c, ctx, owner, ref, input));
  if (!resolved) throw notFound(`Dataset "${input}" not found`);
  return resolved;
}

async function workflowFrom(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  owner: Owner,
  ref: { name: string; referenceId?: string },
  label: string,
): Promise<ResolvedWorkflow | undefined> {
  const rows = await ctx.db.cached.all<WorkflowRow>(
    'SELECT * FROM workflows WHERE owner_kind = ? AND owner_id = ?',
    [owner.kind, owner.id],
  );
  const workflow = pick(c, 'workflow', rows, ref.name, ref.referenceId);
  if (!workflow) return undefined;
  const access: AccessSubject = {
    label: `Workflow "${label}"`,
    publicLevel: workflow.public_access_level === 'view' ? 'data' : 'none',
    userLevel: await userLevelForWorkflow(ctx.db.cached, workflow, c.get('auth').user?.id),
  };
  return { workflow, owner, access };
}

/** Resolves a workflow reference (`owner.name[:referenceId]`). */
export async function resolveWorkflow(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  input: string,
): Promise<ResolvedWorkflow> {
  const ref = parse(() => parseWorkflowReference(input));
  const owner = await findOwner(ctx.db.cached, ref.owner);
  const resolved = owner && (await workflowFrom(c, ctx, owner, ref, input));
  if (!resolved) throw notFound(`Workflow "${input}" not found`);
  return resolved;
}

/** The workflow with this id (for resources addressed by id, such as notebook jobs), with the caller's access. */
export async function resolveWorkflowById(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  workflowId: string,
): Promise<ResolvedWorkflow | undefined> {
  const workflow = await ctx.db.one<WorkflowRow>('SELECT * FROM workflows WHERE id = ?', [workflowId]);
  if (!workflow) return undefined;
  const owner = await ownerById(ctx.db, workflow.owner_kind as Owner['kind'], workflow.owner_id);
  const access: AccessSubject = {
    label: `Workflow "${owner.name}.${workflow.name}"`,
    publicLevel: workflow.public_access_level === 'view' ? 'data' : 'none',
    userLevel: await userLevelForWorkflow(ctx.db, workflow, c.get('auth').user?.id),
  };
  return { workflow, owner, access };
}

/**
 * Resolves a table reference `owner.parent[:suffixes].table[:referenceId]`; the parent is a dataset when one
 * matches (always when a version or `:sample` is given), else a workflow.
 */
export async function resolveTable(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  input: string,
): Promise<ResolvedTable> {
  const ref = parse(() => parseTableReference(input));
  if (ref.owner === undefined || ref.parent === undefined) {
    throw badRequest(
      `Table reference "${input}" must be qualified as owner.dataset.table or owner.workflow.table`,
    );
  }
  const missing = notFound(`Table "${input}" not found`);
  const owner = await findOwner(ctx.db.cached, ref.owner);
  if (!owner) throw missing;
  const parentLabel = `${ref.owner}.${ref.parent.name}`;
  const dataset = await datasetFrom(c, ctx, owner, { ...ref.parent, owner: ref.owner }, parentLabel);
  let candidates: TableRow[];
  let container: ResolvedTable['container'];
  let access: AccessSubject;
  let minimumLevel: AccessLevel = 'none';
  if (dataset) {
    if (!dataset.version) throw missing;
    candidates = await ctx.db.cached.all<TableRow>(
      'SELECT * FROM tables WHERE version_id = ? AND is_sample = ?',
      [dataset.version.id, dataset.sample],
    );
    container = { kind: 'dataset', dataset };
    access = dataset.access;
    minimumLevel = dataset.minimumLevel;
    if (dataset.sample && candidates.length === 0) {
      assertAccess(c, access, 'overview');
      throw notFound(`Dataset "${parentLabel}" has no sample`);
    }
  } else {
    if (ref.parent.version !== undefined || ref.parent.sample) throw missing;
    const workflow = await workflowFrom(c, ctx, owner, ref.parent, parentLabel);
    if (!workflow) throw missing;
    candidates = await ctx.db.cached.all<TableRow>('SELECT * FROM tables WHERE workflow_id = ?', [
      workflow.workflow.id,
    ]);
    container = { kind: 'workflow', workflow };
    access = workflow.access;
  }
  const table = pick(c, 'table', candidates, ref.name, ref.referenceId);
  if (!table) {
    // Existence of tables is only revealed to callers who may see the container.
    assertAccess(c, access, atLeast(minimumLevel, 'overview') ? minimumLevel : 'overview');
    throw missing;
  }
  return {
    table,
    variables: await tableVariables(ctx.db.cached, table.id),
    container,
    access: { ...access, label: `Table "${input}"` },
    minimumLevel,
  };
}

/**
 * {@link assertAccess} for a resolved dataset or table: reads through an unreleased version need edit access, and
 * `data` on a sample needs only `sample`.
 */
export function assertResolvedAccess(
  c: Context<AppEnv>,
  resolved: { access: AccessSubject; minimumLevel: AccessLevel; sample?: boolean },
  needed: AccessLevel,
): void {
  const level = resolved.sample && needed === 'data' ? 'sample' : needed;
  assertAccess(c, resolved.access, maxLevel(level, resolved.minimumLevel));
}
