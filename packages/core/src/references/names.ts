import { fail, requireString } from './fail.js';

const OWNER_NAME = /^[A-Za-z0-9_]+$/;

/** Characters that separate the parts of a reference and so cannot appear in a raw name. */
const STRUCTURAL = /[.:`]/;

/** Letters and digits of any script, with their combining marks, and `_`: what a name keeps when escaped. */
const NOT_WORD = /[^\p{L}\p{M}\p{N}_]+/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/** Control characters (NUL, newlines, …), lone surrogates, and bidirectional controls that reorder what is shown. */
const FORBIDDEN = /[\p{Cc}\p{Cs}\p{Bidi_Control}\uFEFF]/u;

/**
 * Escapes a dataset, workflow, table or upload name the way Redivis does for references: every character that is
 * not a letter or digit (of any script) or `_` becomes `_`, runs of `_` collapse to one, leading and trailing `_`
 * are dropped, and the result is lower-cased (matching is case-insensitive).
 *
 * @example
 * ```ts
 * escapeName('Census dataset: 1940-1980'); // 'census_dataset_1940_1980'
 * escapeName('~~Leading and trailing characters.'); // 'leading_and_trailing_characters'
 * escapeName('日本語 テーブル'); // '日本語_テーブル'
 * ```
 * @param name - A display name, raw or already escaped.
 * @returns The escaped, lower-cased form (empty when the name has no letters or digits).
 */
export function escapeName(name: string): string {
  return requireString('name', name)
    .replace(NOT_WORD, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();
}

/**
 * Whether two names refer to the same resource: their escaped forms (see {@link escapeName}) are equal, so the
 * comparison ignores case and every non-word character.
 *
 * @example
 * ```ts
 * namesMatch('Iris species', 'iris_species'); // true
 * ```
 * @param a - A raw or escaped name.
 * @param b - Another raw or escaped name.
 * @returns `true` when both escape to the same string.
 */
export function namesMatch(a: string, b: string): boolean {
  return escapeName(a) === escapeName(b);
}

/**
 * What is wrong with a dataset, workflow, table, variable or upload name, or `undefined` when it is acceptable: the
 * one name rule of the emulator and the client. A name must hold at least one letter or digit (of any script, so
 * `日本語テーブル` is a name), and no control character (NUL, newline, tab…), lone surrogate or bidirectional
 * control (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C), which would make a name display differently
 * from what it is. Length limits are the caller's (they differ by resource).
 *
 * @example
 * ```ts
 * nameProblem('Iris species'); // undefined
 * nameProblem('!!!'); // 'needs at least one letter or digit'
 * nameProblem('a\u202Eb'); // 'contains U+202E, a control or bidirectional-control character'
 * ```
 * @param name - A candidate name.
 * @returns A short description of the problem, to follow the name in an error message; `undefined` when valid.
 */
export function nameProblem(name: string): string | undefined {
  if (typeof name !== 'string') return 'must be a string';
  const bad = FORBIDDEN.exec(name);
  if (bad) {
    const code = (bad[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
    return `contains U+${code}, a control or bidirectional-control character`;
  }
  if (!LETTER_OR_DIGIT.test(name)) return 'needs at least one letter or digit';
  return undefined;
}

/**
 * Whether `name` is a valid user or organization name (`[A-Za-z0-9_]+`; such names are case-insensitive and never
 * need escaping).
 *
 * @param name - A candidate account name.
 * @returns `true` for a non-empty string of ASCII letters, digits and `_`.
 */
export function isValidOwnerName(name: string): boolean {
  return typeof name === 'string' && OWNER_NAME.test(name);
}

/**
 * Validates a user or organization name (the owner part of dataset, workflow and table references, and the
 * `:userName` / `:organizationName` path parameters).
 *
 * @param name - A candidate account name.
 * @returns The name unchanged.
 * @throws {@link InvalidReferenceError} when it is empty or contains anything but ASCII letters, digits and `_`.
 */
export function parseOwnerName(name: string): string {
  requireString('owner name', name);
  if (!OWNER_NAME.test(name)) {
    fail('owner name', name, 'user and organization names contain only ASCII letters, digits and "_"');
  }
  return name;
}

/**
 * Makes a name safe to place in a reference: a name containing `.`, `:` or a backtick is escaped (see
 * {@link escapeName}); any other name is kept as written.
 *
 * @internal
 */
export function referenceName(what: string, name: string): string {
  requireString(`${what} name`, name);
  if (name === '') fail(`${what} name`, name, 'names cannot be empty');
  if (!STRUCTURAL.test(name)) return name;
  const escaped = escapeName(name);
  if (escaped === '') fail(`${what} name`, name, 'the name has no letters or digits left after escaping');
  return escaped;
}
