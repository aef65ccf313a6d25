import { fail } from './fail.js';
import { isVersionSuffix, normalizeVersionTag } from './versions.js';

/** One dot-separated part of a reference: a name and the colon-suffixes written after it. */
export interface Part {
  name: string;
  suffixes: string[];
}

/** What the colon-suffixes of one part say, classified by pattern rather than position. */
export interface Suffixes {
  referenceId?: string;
  version?: string;
  sample?: boolean;
}

const SAMPLE = /^sample$/i;
/** Reference ids are short base-36 strings (`7br5`; older ones numeric): anything else is not a reference id. */
export const REFERENCE_ID = /^[A-Za-z0-9]+$/;
const DANGLING_VERSION = /:[vV]?\d+$/;
const MINOR_START = /^\d+(?::|$)/;

/**
 * Splits a reference on `.` into raw part strings. Backticks (as in SQL) may wrap the whole reference or any run of
 * whole parts; they only group, so they must open at the start of a part and close at the end of one.
 */
export function splitParts(what: string, input: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let justClosed = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (justClosed && ch !== '.')
      fail(what, input, `a closing backtick must end a part (found "${ch}" after it)`);
    justClosed = false;
    if (ch === '`') {
      if (quoted) {
        quoted = false;
        justClosed = true;
      } else if (current === '') {
        quoted = true;
      } else {
        fail(what, input, `a backtick can only open at the start of a part (in "${current}\`")`);
      }
    } else if (ch === '.') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted) fail(what, input, 'a backtick is never closed');
  parts.push(current);
  return parts;
}

/**
 * Re-joins parts that a dotted version split apart (`ds:v1.0.table` → `ds:v1.0`, `table`; also `ds:1.0`). Returns `undefined`
 * when there is nothing to re-join.
 */
export function mergeDottedVersions(parts: string[]): string[] | undefined {
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && DANGLING_VERSION.test(part) && MINOR_START.test(next)) {
      out.push(`${part}.${next}`);
      i++;
      changed = true;
    } else {
      out.push(part);
    }
  }
  return changed ? out : undefined;
}

/** Splits one part on `:` into its name and suffixes, rejecting empty pieces. */
export function splitSuffixes(what: string, input: string, part: string, role: string): Part {
  const [name, ...suffixes] = part.split(':');
  if (name === '' || name === undefined) fail(what, input, `the ${role} name is empty`);
  for (const s of suffixes) if (s === '') fail(what, input, `the ${role} "${name}" has an empty ":" suffix`);
  return { name, suffixes };
}

/**
 * Classifies suffixes by pattern: a version (`v1_0`, `v1.0`, `current`, `next`), `sample`, or else a reference id.
 * `allowed` lists which kinds the part may carry.
 */
export function classifySuffixes(
  what: string,
  input: string,
  part: Part,
  role: string,
  allowed: { version: boolean; sample: boolean },
): Suffixes {
  const out: Suffixes = {};
  for (const s of part.suffixes) {
    if (isVersionSuffix(s)) {
      if (!allowed.version) fail(what, input, `the ${role} "${part.name}" cannot carry a version (":${s}")`);
      const version = normalizeVersionTag(s);
      if (out.version !== undefined && out.version !== version) {
        fail(what, input, `the ${role} "${part.name}" has two versions (":${out.version}" and ":${s}")`);
      }
      out.version = version;
    } else if (SAMPLE.test(s)) {
      if (!allowed.sample) fail(what, input, `the ${role} "${part.name}" cannot carry ":sample"`);
      out.sample = true;
    } else {
      if (!REFERENCE_ID.test(s)) {
        fail(
          what,
          input,
          `":${s}" after the ${role} "${part.name}" is neither a version, "sample" nor a reference id (ASCII letters and digits)`,
        );
      }
      if (out.referenceId !== undefined && out.referenceId !== s) {
        fail(
          what,
          input,
          `the ${role} "${part.name}" has two reference ids (":${out.referenceId}" and ":${s}")`,
        );
      }
      out.referenceId = s;
    }
  }
  return out;
}

/**
 * Runs `parse` on the plain split and, when a dotted version may have been split apart, on the re-joined parts:
 * the plain reading wins when valid, otherwise the re-joined one.
 */
export function parseWithDottedVersions<T>(what: string, input: string, parse: (parts: string[]) => T): T {
  const parts = splitParts(what, input);
  const merged = mergeDottedVersions(parts);
  if (!merged) return parse(parts);
  try {
    return parse(parts);
  } catch {
    return parse(merged);
  }
}
