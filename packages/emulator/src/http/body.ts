import { nameProblem } from '@redivis-ts/core';
import { badRequest } from './errors.js';

type Body = Record<string, unknown>;

/** A string field: `undefined` when absent or null (null means "unset" for the official clients), else 400. */
export function optString(body: Body, key: string, max = Number.POSITIVE_INFINITY): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`${key} must be a string`);
  if (v.length > max) throw badRequest(`${key} must be at most ${max} characters`);
  return v;
}

/** A required non-empty string field. */
export function reqString(body: Body, key: string, max = Number.POSITIVE_INFINITY): string {
  const v = optString(body, key, max);
  if (v === undefined || v.trim() === '') throw badRequest(`${key} is required`);
  return v;
}

/**
 * A resource name field (`what`: 'dataset', 'table', 'upload', …) checked by the one name rule of
 * `@redivis-ts/core` (`nameProblem`: a letter or digit of any script; no control or bidirectional-control
 * characters) and `max` characters. `undefined` when absent; 400 saying what is wrong otherwise. The name is not
 * echoed, since the characters refused are the ones that would garble the message.
 */
export function optName(body: Body, key: string, what: string, max = 512): string | undefined {
  const v = optString(body, key, max);
  if (v === undefined) return undefined;
  const problem = nameProblem(v);
  if (problem) throw badRequest(`The ${what} name ${problem}`);
  return v;
}

/** A required resource name field; see {@link optName}. */
export function reqName(body: Body, key: string, what: string, max = 512): string {
  const v = optName(body, key, what, max);
  if (v === undefined) throw badRequest(`${key} is required`);
  return v;
}

/** A string field restricted to `values`. */
export function optEnum<T extends string>(body: Body, key: string, values: readonly T[]): T | undefined {
  const v = optString(body, key);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v))
    throw badRequest(`${key} must be one of ${values.join(', ')}`);
  return v as T;
}

/** A boolean field. */
export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${key} must be a boolean`);
  return v;
}

/** An array-of-strings field. */
export function optStringArray(body: Body, key: string): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw badRequest(`${key} must be an array of strings`);
  return v as string[];
}

/** A comma-separated query parameter as a list (empty entries dropped); `undefined` when absent. */
export function csvParam(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
