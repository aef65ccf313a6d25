import { fail } from './fail.js';
import { hasStructuralCharacter } from './names.js';
import { isVersionSuffix, normalizeVersionTag } from './versions.js';

/**
 * Checks a reference id before it is written into a reference: it must survive parsing unchanged, so it cannot be
 * empty, contain `.`, `:` or a backtick, or look like a version or `sample`.
 *
 * @internal
 */
export function checkReferenceId(what: string, id: string): string {
  if (typeof id !== 'string' || id === '') fail(what, String(id), 'a reference id cannot be empty');
  if (hasStructuralCharacter(id)) fail(what, id, 'a reference id cannot contain ".", ":" or "`"');
  if (isVersionSuffix(id) || /^sample$/i.test(id)) {
    fail(what, id, `"${id}" would be read as a version or ":sample", not a reference id`);
  }
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
