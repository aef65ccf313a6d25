import type { Context } from 'hono';
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
    try {
      body = JSON.parse(await c.req.text());
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
    const body = await c.req.parseBody();
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

/** Splits a space-separated scope string into unique scopes, keeping their order. */
export function parseScopes(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(/\s+/).filter(Boolean))];
}
