import { fail, requireString } from './fail.js';

/** A release tag in any accepted spelling: `1.0`, `v1.0`, `v1_0`, `V1_0`. */
const RELEASE = /^[vV]?(\d+)[._](\d+)$/;
/**
 * The form a version takes as a colon-suffix inside a reference: `v1_0`, `v1.0`, or `1.0` (a dot can never be part
 * of a reference id, so a bare `1.0` is unambiguous; a bare `1_0` stays a reference id).
 */
const SUFFIX_RELEASE = /^(?:[vV]\d+[._]\d+|\d+\.\d+)$/;
const ALIAS = /^(current|next)$/i;

/** A version tag in canonical reference form: `v<major>_<minor>`, `current` or `next`. */
export type VersionTag = `v${number}_${number}` | 'current' | 'next';

/** The numbers of a released version tag. */
export interface VersionNumber {
  /** Major number: bumped when variables are renamed, deleted or retyped, or tables deleted. */
  major: number;
  /** Minor number: bumped for every other change. */
  minor: number;
}

const stripZeros = (digits: string): string => digits.replace(/^0+(?=\d)/, '');

/**
 * Normalises a version tag to the form used inside references.
 *
 * @example
 * ```ts
 * normalizeVersionTag('1.0'); // 'v1_0'
 * normalizeVersionTag('v1.0'); // 'v1_0'
 * normalizeVersionTag('NEXT'); // 'next'
 * ```
 * @param tag - `1.0`, `v1.0`, `v1_0` (either case, either separator, leading zeros allowed), `current` or `next`.
 * @returns `v<major>_<minor>` without leading zeros, or `current` / `next` in lower case.
 * @throws {@link InvalidReferenceError} for anything else.
 */
export function normalizeVersionTag(tag: string): VersionTag {
  requireString('version tag', tag);
  if (ALIAS.test(tag)) return tag.toLowerCase() as VersionTag;
  const m = RELEASE.exec(tag);
  if (!m) fail('version tag', tag, 'expected "v<major>_<minor>", "v<major>.<minor>", "current" or "next"');
  return `v${stripZeros(m[1]!)}_${stripZeros(m[2]!)}` as VersionTag;
}

/**
 * Converts a version tag to the form used in version paths (`/datasets/:ref/versions/v1.0`).
 *
 * @example
 * ```ts
 * versionTagToPath('v1_0'); // 'v1.0'
 * versionTagToPath('current'); // 'current'
 * ```
 * @param tag - Any spelling {@link normalizeVersionTag} accepts.
 * @returns `v<major>.<minor>`, `current` or `next`.
 * @throws {@link InvalidReferenceError} for an invalid tag.
 */
export function versionTagToPath(tag: string): string {
  return normalizeVersionTag(tag).replace('_', '.');
}

/**
 * Whether `text` is a colon-suffix that names a version (`v1_0`, `v1.0`, `1.0`, `current`, `next`). A bare `1_0` is
 * not: with an underscore the `v` is required, so such a suffix is a reference id.
 *
 * @param text - One colon-separated suffix of a reference.
 * @returns `true` when the suffix is a version.
 */
export function isVersionSuffix(text: string): boolean {
  return SUFFIX_RELEASE.test(text) || ALIAS.test(text);
}

/**
 * Reads the numbers of a released version tag.
 *
 * @param tag - A release tag in any spelling {@link normalizeVersionTag} accepts.
 * @returns `{ major, minor }`.
 * @throws {@link InvalidReferenceError} for `current`, `next`, invalid tags and numbers beyond
 *   `Number.MAX_SAFE_INTEGER`.
 */
export function parseVersionNumber(tag: string): VersionNumber {
  const normal = normalizeVersionTag(tag);
  const m = RELEASE.exec(normal);
  if (!m) fail('version tag', tag, `"${normal}" is an alias, not a released version number`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor)) {
    fail('version tag', tag, 'version numbers are too large');
  }
  return { major, minor };
}

/**
 * Builds a version tag from its numbers.
 *
 * @param version - Non-negative safe integers.
 * @param form - `reference` (default) gives `v1_0`; `path` gives `v1.0`.
 * @returns The tag.
 * @throws {@link InvalidReferenceError} when a number is negative or not an integer.
 */
export function formatVersionTag(version: VersionNumber, form: 'reference' | 'path' = 'reference'): string {
  const { major, minor } = version;
  if (![major, minor].every((n) => Number.isSafeInteger(n) && n >= 0)) {
    fail('version number', JSON.stringify(version), 'major and minor must be non-negative integers');
  }
  return `v${major}${form === 'path' ? '.' : '_'}${minor}`;
}

/**
 * Orders two released version tags (for sorting; `current` and `next` are not comparable).
 *
 * @param a - A release tag in any accepted spelling.
 * @param b - Another.
 * @returns A negative number when `a` is older, 0 when equal, positive when newer.
 * @throws {@link InvalidReferenceError} when either is not a released version.
 */
export function compareVersionTags(a: string, b: string): number {
  const x = parseVersionNumber(a);
  const y = parseVersionNumber(b);
  return x.major - y.major || x.minor - y.minor;
}
