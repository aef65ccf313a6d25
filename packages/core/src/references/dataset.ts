import { fail, requireString } from './fail.js';
import { isValidOwnerName, referenceName } from './names.js';
import { classifySuffixes, parseWithDottedVersions, splitSuffixes } from './tokenize.js';
import { formatSuffixes } from './suffixes.js';

/**
 * A parsed dataset reference: `owner.name[:referenceId][:sample][:version]`, suffixes in any order.
 */
export interface DatasetReference {
  /** User or organization name. */
  owner: string;
  /** Dataset name as written (raw or escaped; compare with {@link namesMatch}). */
  name: string;
  /** Persistent reference id (e.g. `7br5`); when present the server resolves by it rather than by name. */
  referenceId?: string;
  /** `v<major>_<minor>`, `current` or `next` (normalised); absent means the current version. */
  version?: string;
  /** `true` when the reference selects the dataset's sample tables (`:sample`). */
  sample?: boolean;
}

/** A parsed workflow reference: `owner.name[:referenceId]`. */
export interface WorkflowReference {
  /** User (or organization) name. */
  owner: string;
  /** Workflow name as written. */
  name: string;
  /** Persistent reference id (e.g. `x7kh`). */
  referenceId?: string;
}

/** Options for {@link parseDatasetReference} and {@link parseWorkflowReference}. */
export interface ParseOwnedReferenceOptions {
  /** Owner to use when the string has no `owner.` prefix (e.g. from `REDIVIS_DEFAULT_USER`). */
  defaultOwner?: string;
}

/** Options for {@link formatDatasetReference} and {@link formatWorkflowReference}. */
export interface FormatOwnedReferenceOptions {
  /** Leave out the owner, giving the `scopedReference` form (`name:v1_0:7br5`). Default `false`. */
  scoped?: boolean;
}

function parseOwned(
  what: string,
  input: string,
  parts: string[],
  defaultOwner: string | undefined,
): { owner: string; part: string } {
  if (parts.length === 2) {
    const owner = parts[0]!;
    if (!isValidOwnerName(owner)) {
      fail(what, input, `the owner "${owner}" must contain only ASCII letters, digits and "_"`);
    }
    return { owner, part: parts[1]! };
  }
  if (parts.length === 1) {
    if (defaultOwner === undefined)
      fail(what, input, 'expected "owner.name"; no owner given and no defaultOwner');
    if (!isValidOwnerName(defaultOwner))
      fail(what, input, `the defaultOwner "${defaultOwner}" is not a valid name`);
    return { owner: defaultOwner, part: parts[0]! };
  }
  return fail(what, input, `expected "owner.name", found ${parts.length} dot-separated parts`);
}

/**
 * Parses a dataset reference such as `demo.ghcn_daily_weather_data:v1_1:7br5`. Colon-suffixes may come in any
 * order and are classified by pattern: a version (`v1_0`, `v1.0`, `current`, `next`), `sample`, or else a
 * reference id. Backticks around the whole reference or its parts (as in SQL) are accepted.
 *
 * @example
 * ```ts
 * parseDatasetReference('demo.ghcn_daily_weather_data:v1_1:7br5');
 * // { owner: 'demo', name: 'ghcn_daily_weather_data', version: 'v1_1', referenceId: '7br5' }
 * ```
 * @param input - The reference string.
 * @param options - `defaultOwner` for strings without an owner.
 * @returns The parts; optional fields are absent (not `undefined`) when not given.
 * @throws {@link InvalidReferenceError} naming the bad part.
 */
export function parseDatasetReference(
  input: string,
  options: ParseOwnedReferenceOptions = {},
): DatasetReference {
  const what = 'dataset reference';
  requireString(what, input);
  return parseWithDottedVersions(what, input, (parts) => {
    const { owner, part } = parseOwned(what, input, parts, options.defaultOwner);
    const parsed = splitSuffixes(what, input, part, 'dataset');
    const suffixes = classifySuffixes(what, input, parsed, 'dataset', { version: true, sample: true });
    return { owner, name: parsed.name, ...suffixes };
  });
}

/**
 * Parses a workflow reference such as `imathews.example_workflow_climate_analysis:x7kh`.
 *
 * @param input - The reference string.
 * @param options - `defaultOwner` for strings without an owner.
 * @returns The parts; `referenceId` is absent when not given.
 * @throws {@link InvalidReferenceError} naming the bad part, including a version or `:sample` suffix (workflows
 *   have neither).
 */
export function parseWorkflowReference(
  input: string,
  options: ParseOwnedReferenceOptions = {},
): WorkflowReference {
  const what = 'workflow reference';
  requireString(what, input);
  return parseWithDottedVersions(what, input, (parts) => {
    const { owner, part } = parseOwned(what, input, parts, options.defaultOwner);
    const parsed = splitSuffixes(what, input, part, 'workflow');
    const suffixes = classifySuffixes(what, input, parsed, 'workflow', { version: false, sample: false });
    return { owner, name: parsed.name, ...suffixes };
  });
}

function ownerPrefix(what: string, owner: string, scoped: boolean | undefined): string {
  if (scoped) return '';
  if (!isValidOwnerName(owner)) {
    fail(what, String(owner), 'the owner must contain only ASCII letters, digits and "_"');
  }
  return `${owner}.`;
}

/**
 * Formats a dataset reference as `owner.name[:version][:referenceId][:sample]` (the order the service uses in
 * `qualifiedReference`). A name containing `.`, `:` or a backtick is escaped; other names are kept as written.
 *
 * @example
 * ```ts
 * formatDatasetReference({ owner: 'demo', name: 'ghcn_daily_weather_data', version: 'v1.1', referenceId: '7br5' });
 * // 'demo.ghcn_daily_weather_data:v1_1:7br5'
 * ```
 * @param ref - The reference; `version` may be in any spelling {@link normalizeVersionTag} accepts.
 * @param options - `scoped: true` leaves out the owner.
 * @returns The reference string.
 * @throws {@link InvalidReferenceError} for an invalid owner, version or reference id, or an empty name.
 */
export function formatDatasetReference(
  ref: DatasetReference,
  options: FormatOwnedReferenceOptions = {},
): string {
  const what = 'dataset reference';
  const prefix = ownerPrefix(what, ref.owner, options.scoped);
  return prefix + referenceName('dataset', ref.name) + formatSuffixes(what, ref);
}

/**
 * Formats a workflow reference as `owner.name[:referenceId]`.
 *
 * @param ref - The reference.
 * @param options - `scoped: true` leaves out the owner.
 * @returns The reference string.
 * @throws {@link InvalidReferenceError} for an invalid owner or reference id, or an empty name.
 */
export function formatWorkflowReference(
  ref: WorkflowReference,
  options: FormatOwnedReferenceOptions = {},
): string {
  const what = 'workflow reference';
  const prefix = ownerPrefix(what, ref.owner, options.scoped);
  const suffix = ref.referenceId === undefined ? {} : { referenceId: ref.referenceId };
  return prefix + referenceName('workflow', ref.name) + formatSuffixes(what, suffix);
}
