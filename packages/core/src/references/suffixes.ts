import { fail } from './fail.js';
import { REFERENCE_ID } from './tokenize.js';
import { isVersionSuffix, normalizeVersionTag } from './versions.js';

/**
 * Checks a reference id before it is written into a reference: it must survive parsing unchanged, so it holds
 * only ASCII letters and digits and does not look like a version or `sample`.
 *
 * @internal
 */
export function checkReferenceId(what: string, id: string): string {
  if (typeof id !== 'string' || id === '') fail(what, String(id), 'a reference id cannot be empty');
  if (isVersionSuffix(id) || /^sample$/i.test(id)) {
    fail(what, id, `"${id}" would be read as a version or ":sample", not a reference id`);
  }
  if (!REFERENCE_ID.test(id)) fail(what, id, 'a reference id holds only ASCII letters and digits');
  return id;
}

/**
 * Writes `[:version][:referenceId][:sample]`.
 *
 * @internal
 */
export function formatSuffixes(
  what: string,
  s: { referenceId?: string | undefined; version?: string | undefined; sample?: boolean | undefined },
): string {
  let out = '';
  if (s.version !== undefined) out += `:${normalizeVersionTag(s.version)}`;
  if (s.referenceId !== undefined) out += `:${checkReferenceId(what, s.referenceId)}`;
  if (s.sample) out += ':sample';
  return out;
}
