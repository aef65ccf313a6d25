import type { Context } from 'hono';
import { ApiError, badRequest, readUtf8 } from '../http/errors.js';
import { OAuthError } from './errors.js';

/**
 * Reads an OAuth request body as flat string parameters. The official clients send JSON (JS, device
 * authorization) or `application/x-www-form-urlencoded` (Python and R token polls), so both are accepted;
 * non-string JSON values are kept as JSON text, except arrays of strings (e.g. `amr_values`) which are joined
 * with spaces and `null`, which counts as absent.
 */
export async function readOAuthParams(c: Context): Promise<Record<string, string>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const out: Record<string, string> = {};
  if (type === 'application/json' || type.endsWith('+json')) {
    let body: unknown;
    const text = await readUtf8(c).catch(asOAuthError);
    try {
      body = JSON.parse(text);
    } catch {
      throw new OAuthError(400, 'invalid_request', 'The request body is not valid JSON.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new OAuthError(400, 'invalid_request', 'The request body must be a JSON object.');
    }
    for (const [key, value] of Object.entries(body)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'string') out[key] = value;
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value.join(' ');
      else out[key] = JSON.stringify(value);
    }
    return out;
  }
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const body = await readForm(c).catch(asOAuthError);
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') out[key] = value;
    }
    return out;
  }
  if ((await c.req.text()).length === 0) return out;
  throw new OAuthError(
    400,
    'invalid_request',
    'Send the parameters as application/json or application/x-www-form-urlencoded.',
  );
}

/** The body readers' client errors (400 malformed, 415 encoded) in the OAuth error shape the token endpoint answers. */
function asOAuthError(e: unknown): never {
  if (e instanceof ApiError && (e.status === 400 || e.status === 415)) {
    throw new OAuthError(e.status, 'invalid_request', e.description);
  }
  throw e;
}

/**
 * `c.req.parseBody` with a malformed form (a multipart body without its boundary, a truncated part) answered as a
 * 400 `invalid_request` rather than an internal error; a body over the limit keeps its 413.
 */
export async function readForm(c: Context, options?: { all: true }): ReturnType<Context['req']['parseBody']> {
  try {
    return await c.req.parseBody(options);
  } catch (e) {
    if (e instanceof ApiError || (e instanceof Error && e.cause instanceof ApiError)) throw e;
    throw badRequest('The form body cannot be parsed.');
  }
}

/** Splits a space-separated scope string into unique scopes, keeping their order. */
export function parseScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter(Boolean))];
}
