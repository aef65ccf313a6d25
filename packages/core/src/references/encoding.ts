import { fail, requireString, show } from './fail.js';

/**
 * Percent-encodes one URL path segment exactly like Python's `urllib.parse.quote(s, safe='')`, which the official
 * clients use for references: everything except `A-Z a-z 0-9 _ . - ~` is encoded as UTF-8 bytes (`:` → `%3A`,
 * `/` → `%2F`, space → `%20`). Unlike `encodeURIComponent`, `! ' ( ) *` are encoded too.
 *
 * @example
 * ```ts
 * encodePathSegment('owner.Iris species:v1_0.tbl:kn00'); // 'owner.Iris%20species%3Av1_0.tbl%3Akn00'
 * ```
 * @param segment - Raw text of one segment.
 * @returns The encoded segment.
 * @throws {@link InvalidReferenceError} when the string holds a lone UTF-16 surrogate (not encodable as UTF-8).
 */
export function encodePathSegment(segment: string): string {
  requireString('path segment', segment);
  let encoded: string;
  try {
    encoded = encodeURIComponent(segment);
  } catch (cause) {
    return fail('path segment', segment, 'it contains a lone UTF-16 surrogate', cause);
  }
  return encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Decodes one percent-encoded path segment (what a server does before parsing a reference parameter).
 *
 * @param segment - An encoded segment, e.g. `demo.iris%3Av1_0`.
 * @returns The decoded text.
 * @throws {@link InvalidReferenceError} for malformed escapes or bytes that are not UTF-8.
 */
export function decodePathSegment(segment: string): string {
  requireString('path segment', segment);
  try {
    return decodeURIComponent(segment);
  } catch (cause) {
    return fail('path segment', segment, 'it has a malformed percent-escape or invalid UTF-8', cause);
  }
}

/** A value {@link path} can interpolate. */
export type PathValue = string | number | bigint;

/**
 * Template tag that builds a request path, percent-encoding each interpolated value as one segment with
 * {@link encodePathSegment}. The literal parts are kept as written.
 *
 * @example
 * ```ts
 * path`/datasets/${'demo.iris_species:v1_0'}/tables`; // '/datasets/demo.iris_species%3Av1_0/tables'
 * ```
 * @returns The path.
 * @throws {@link InvalidReferenceError} when a value is empty, not a string or finite number, or the result has a
 *   `.` or `..` segment (which would change the path's meaning).
 */
export function path(strings: TemplateStringsArray, ...values: PathValue[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    let text: string;
    if (typeof value === 'string') text = value;
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint')
      text = String(value);
    else fail('path value', typeof value, 'only strings and finite numbers can be interpolated');
    if (text === '') fail('path value', text, `value ${i + 1} is empty, which would leave an empty segment`);
    out += encodePathSegment(text) + (strings[i + 1] ?? '');
  }
  for (const segment of out.split(/[/?#]/)) {
    if (segment === '.' || segment === '..') fail('path', out, `the segment ${show(segment)} is not allowed`);
  }
  return out;
}
