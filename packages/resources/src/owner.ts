import type { DatasetReference } from '@redivis-ts/core';
import { parseDatasetReference } from '@redivis-ts/core';
import type { ResourceContext } from './context.js';
import type { Dataset } from './Dataset.js';
import type { Organization } from './Organization.js';
import type { User } from './User.js';

/** The owner of a dataset or workflow: a user or an organization. */
export type Owner = User | Organization;

/** Build the owner object a server `owner` property describes. @internal */
export function ownerFromProperties(
  ctx: ResourceContext,
  owner: { kind?: string; name?: string; userName?: string } | null | undefined,
): Owner | undefined {
  const name = owner?.name ?? owner?.userName;
  if (!owner || !name) return undefined;
  return owner.kind === 'user'
    ? new ctx.make.User(ctx, name, owner as ConstructorParameters<typeof User>[2])
    : new ctx.make.Organization(ctx, name, owner as ConstructorParameters<typeof Organization>[2]);
}

/** Parse a dataset name given under a known owner (`owner.dataset('name:v1_0')`). @internal */
export function datasetFromName(ctx: ResourceContext, owner: Owner, name: string, version?: string): Dataset {
  const parsed = parseDatasetReference(name, { defaultOwner: owner.name });
  const ref: DatasetReference = { ...parsed, owner: owner.name };
  if (version !== undefined) ref.version = version;
  return new ctx.make.Dataset(ctx, ref, { owner });
}

/**
 * Parse a dataset or workflow reference; a bare name takes its owner from `REDIVIS_DEFAULT_USER`, then
 * `REDIVIS_DEFAULT_ORGANIZATION` in the platform's env. When the owner is one of those its kind is known, so the
 * owner object comes back too. @internal
 */
export function parseWithDefaultOwner<R extends { owner: string }>(
  ctx: ResourceContext,
  reference: string,
  parse: (input: string, options?: { defaultOwner?: string }) => R,
): { ref: R; owner: Owner | undefined } {
  const env = ctx.platform.env ?? {};
  const user = env.REDIVIS_DEFAULT_USER;
  const org = env.REDIVIS_DEFAULT_ORGANIZATION;
  const defaultOwner = user ?? org;
  const ref = parse(reference, defaultOwner ? { defaultOwner } : undefined);
  let owner: Owner | undefined;
  if (user && ref.owner === user) owner = new ctx.make.User(ctx, user);
  else if (org && ref.owner === org) owner = new ctx.make.Organization(ctx, org);
  return { ref, owner };
}
