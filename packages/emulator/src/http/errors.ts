import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { InvalidOperationError } from '../store/errors.js';

/**
 * An error with a wire representation. Throw it anywhere in a route; the app's error handler turns it into the
 * envelope `{error, error_description, status, ...extra}` (or, for HEAD, the `X-Redivis-Error-Payload` header).
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** HTTP status. */
    readonly status: ContentfulStatusCode,
    /** Machine code for the `error` field: `invalid_request`, `invalid_token`, `insufficient_scope`, … */
    readonly code: string,
    /** Human text for `error_description`. Never include a token. */
    readonly description: string,
    /** More top-level body fields, e.g. `{ scope: 'data.data' }` for insufficient_scope. */
    readonly extra: Record<string, unknown> = {},
    /** More response headers, e.g. `Retry-After`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

/** 400 `invalid_request`. */
export const badRequest = (description: string, extra?: Record<string, unknown>): ApiError =>
  new ApiError(400, 'invalid_request', description, extra);
/** 401 `invalid_token`. */
export const unauthorized = (description = 'Must provide a valid Authorization token'): ApiError =>
  new ApiError(401, 'invalid_token', description);
/** 403 `forbidden`: the user lacks access to the resource. */
export const forbidden = (description = 'Not authorized'): ApiError =>
  new ApiError(403, 'forbidden', description);
/** 403 `insufficient_scope`: the user has access but the token lacks `scope` (space-separated in the body). */
export const insufficientScope = (scope: readonly string[], description?: string): ApiError =>
  new ApiError(
    403,
    'insufficient_scope',
    description ?? `The access token is missing a required scope: ${scope.join(' or ')}`,
    { scope: scope.join(' ') },
  );
/** 404 `not_found`. */
export const notFound = (description: string): ApiError => new ApiError(404, 'not_found', description);
/** 409 `conflict`. */
export const conflict = (description: string): ApiError => new ApiError(409, 'conflict', description);

/** The JSON body of an error. */
export function errorBody(err: ApiError): Record<string, unknown> {
  return { error: err.code, error_description: err.description, status: err.status, ...err.extra };
}

/**
 * The one place errors leave the emulator. The store's {@link InvalidOperationError} is a 400. Unknown exceptions become 500 `internal_error` with a generic text (the
 * stack goes to stderr, never to the client).
 */
export function writeError(c: Context, e: unknown): Response {
  let err: ApiError;
  if (e instanceof ApiError) err = e;
  else if (e instanceof InvalidOperationError) err = badRequest(e.message);
  // Body parsers (form data) wrap the error of the body stream (413) in their own.
  else if (e instanceof Error && e.cause instanceof ApiError) err = e.cause;
  else {
    console.error('[redivis-emulator] internal error:', e);
    err = new ApiError(500, 'internal_error', 'Internal error in the emulator');
  }
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  if (c.req.method === 'HEAD') {
    c.header('X-Redivis-Error-Payload', encodeURIComponent(JSON.stringify(errorBody(err))));
    return c.body(null, err.status);
  }
  return c.json(errorBody(err), err.status);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request body as text; bytes that are not UTF-8 are a 400 (not silently replaced by U+FFFD). A body declaring a
 * `Content-Encoding` (gzip, …) is a 415: the emulator decodes none, and reading the bytes as if they were plain
 * would act on a body the client never meant.
 */
export async function readUtf8(c: Context): Promise<string> {
  const encoding = c.req.header('Content-Encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `Content-Encoding "${encoding.slice(0, 40)}" is not supported`,
    );
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw badRequest('The request body is not valid UTF-8');
  }
}

/**
 * Parses the request body as a JSON object. An empty body gives `{}`; anything that is not a JSON object is a 400.
 */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const text = await readUtf8(c);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** The 200 `OK` text body the official clients accept for empty successes (deletes). */
export function okText(c: Context): Response {
  return c.text('OK', 200);
}
