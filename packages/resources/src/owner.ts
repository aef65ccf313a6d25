import type { DatasetReference, WorkflowReference } from '@redivis-ts/core';
import {
  InvalidReferenceError,
  nameProblem,
  parseDatasetReference,
  parseWorkflowReference,
} from '@redivis-ts/core';
import type { ResourceContext } from './context.js';
import type { Dataset } from './Dataset.js';
import type { Organization } from './Organization.js';
import type { User } from './User.js';
import type { Workflow } from './Workflow.js';

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

/** How `owner.dataset(name)` and `owner.workflow(name)` read `name`. */
export interface OwnedNameOptions {
  /**
   * Take `name` whole as the display name instead of reading it as a reference (`name[:referenceId][:version]`).
   * Needed only for names that also read as a reference, such as `'Data:2020'` (a reference id) or `'alice.notes'`
   * (another owner's dataset); a string that cannot be a reference, like `'U.S. Counties'`, is a display name anyway.
   * @default false
   */
  literalName?: boolean;
}

/** Options of `owner.dataset(name)`. */
export interface OwnedDatasetOptions extends OwnedNameOptions {
  /** The version to pin (`v1_0`, `current`, `next`); wins over a version written in `name`. */
  version?: string;
}

type Parse<R> = (input: string, options?: { defaultOwner?: string }) => R;

function invalid(input: string, description: string, cause?: unknown): InvalidReferenceError {
  return new InvalidReferenceError({
    description,
    code: 'invalid_reference',
    input,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Reads what a caller wrote after `owner.dataset(…)` / `owner.workflow(…)` without losing any of it: a valid
 * reference stays a reference (an owner prefix must be this owner); a string that cannot be a reference is the
 * display name, whole; a reference to another owner is refused rather than moved to this one.
 */
function ownedReference<R extends { owner: string; name: string }>(
  owner: Owner,
  input: string,
  what: 'dataset' | 'workflow',
  parse: Parse<R>,
  literalName: boolean | undefined,
): R {
  const asName = (cause?: unknown): R => {
    const problem = nameProblem(input);
    if (problem)
      throw invalid(String(input), `Invalid ${what} name ${JSON.stringify(input)}: ${problem}`, cause);
    return { owner: owner.name, name: input } as R;
  };
  if (literalName) return asName();
  let ref: R;
  try {
    ref = parse(input, { defaultOwner: owner.name });
  } catch (error) {
    if (!(error instanceof InvalidReferenceError) || typeof input !== 'string') throw error;
    return asName(error);
  }
  if (ref.owner.toLowerCase() !== owner.name.toLowerCase()) {
    throw invalid(
      input,
      `${JSON.stringify(input)} is a reference to a ${what} of "${ref.owner}", not of "${owner.name}": use ` +
        `redivis.${what}(${JSON.stringify(input)}) for that one, or pass { literalName: true } for a ${what} of ` +
        `"${owner.name}" with that display name`,
    );
  }
  return { ...ref, owner: owner.name };
}

/** A dataset given by name or reference under a known owner (`owner.dataset('name:v1_0')`). @internal */
export function datasetFromName(
  ctx: ResourceContext,
  owner: Owner,
  name: string,
  options: OwnedDatasetOptions = {},
): Dataset {
  const ref: DatasetReference = ownedReference(
    owner,
    name,
    'dataset',
    parseDatasetReference,
    options.literalName,
  );
  if (options.version !== undefined) ref.version = options.version;
  return new ctx.make.Dataset(ctx, ref, { owner });
}

/** A workflow given by name or reference under a known owner (`owner.workflow('name:x7kh')`). @internal */
export function workflowFromName(
  ctx: ResourceContext,
  owner: Owner,
  name: string,
  options: OwnedNameOptions = {},
): Workflow {
  const ref: WorkflowReference = ownedReference(
    owner,
    name,
    'workflow',
    parseWorkflowReference,
    options.literalName,
  );
  return new ctx.make.Workflow(ctx, ref, { owner });
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
