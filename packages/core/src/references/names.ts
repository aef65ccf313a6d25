import { fail, requireString } from './fail.js';

const OWNER_NAME = /^[A-Za-z0-9_]+$/;

/** Characters that separate the parts of a reference and so cannot appear in a raw name. */
const STRUCTURAL = /[.:`]/;

/**
 * Escapes a dataset, workflow, table or upload name the way Redivis does for references: every character that is
 * not an ASCII letter, digit or `_` becomes `_`, runs of `_` collapse to one, leading and trailing `_` are dropped,
 * and the result is lower-cased (matching is case-insensitive).
 *
 * @example
 * ```ts
 * escapeName('Census dataset: 1940-1980'); // 'census_dataset_1940_1980'
 * escapeName('~~Leading and trailing characters.'); // 'leading_and_trailing_characters'
 * ```
 * @param name - A display name, raw or already escaped.
 * @returns The escaped, lower-cased form (empty when the name has no letters or digits).
 */
export function escapeName(name: string): string {
  return requireString('name', name)
    .replace(/[^A-Za-z0-9_]+/g, '_')
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

/** @internal */
export function hasStructuralCharacter(text: string): boolean {
  return STRUCTURAL.test(text);
}
