import { RedivisError, type RedivisErrorInit } from './base.js';
import { redact } from './redact.js';
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InsufficientScopeError,
  NotFoundError,
  RateLimitError,
  ServerError,
  UnauthorizedError,
} from './http-errors.js';

/** Headers as a `Headers` object or a plain record (names case-insensitive). */
export type HeadersLike = Headers | Record<string, string | undefined>;

/** Extra context {@link errorFromResponse} attaches to the error. */
export interface ErrorContext {
  /** HTTP method of the request. */
  method?: string;
  /** URL of the request (redacted before it is stored). */
  url?: string;
  /** Exact secret values (tokens) to remove from every text. */
  secrets?: readonly (string | undefined)[];
  /** The underlying error, if any. */
  cause?: unknown;
}

/** The fields {@link parseErrorBody} extracts from any of the error shapes the API uses. */
export interface ParsedErrorBody {
  /** Error code (`error` string, or `error.code`/`error.reason`). */
  code?: string;
  /** Human-readable description. */
  description?: string;
  /** Status the body claims (`status` or `error.status`). */
  status?: number;
  /** Scopes requested by an `insufficient_scope` error. */
  scope?: string[];
  /** `amr_values` requested by an auth error. */
  amrValues?: string[];
  /** The parsed JSON, when the text was JSON. */
  json?: unknown;
}

// Checked in order; the first one present wins. Cloud trace contexts look like `TRACE_ID/SPAN_ID;o=1`.
const REQUEST_ID_HEADERS = [
  'x-request-id',
  'x-redivis-request-id',
  'request-id',
  'x-correlation-id',
  'x-cloud-trace-context',
  'traceparent',
  'x-amzn-requestid',
  'x-amz-request-id',
  'cf-ray',
];

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const MAX_DESCRIPTION = 2000;

function getHeader(headers: HeadersLike | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/**
 * The request id a response carries, from the first present of `x-request-id`, `x-redivis-request-id`,
 * `request-id`, `x-correlation-id`, `x-cloud-trace-context` (trace id part), `traceparent`, `x-amzn-requestid`,
 * `x-amz-request-id`, `cf-ray`.
 *
 * @param headers - Response headers.
 * @returns The id, or `undefined`.
 */
export function requestIdFromHeaders(headers: HeadersLike | undefined): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = getHeader(headers, name)?.trim();
    if (!value) continue;
    return name === 'x-cloud-trace-context' ? value.split(/[/;]/)[0] : value;
  }
  return undefined;
}

/**
 * Parses a `Retry-After` value: delta-seconds (`"120"`, `"1.5"`) or an HTTP-date.
 *
 * @param value - The header value.
 * @param now - The current time in epoch milliseconds (for HTTP-dates).
 * @returns Milliseconds to wait (never negative), or `undefined` when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only HTTP-dates (which name a weekday or month); Date.parse alone would take '-1' as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function toList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}

function toStatus(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/**
 * Extracts code, description, status, scope and amr values from an error body in any shape the API uses:
 * OAuth-style `{error, error_description, status, scope, amr_values}`, nested `{error: {message, status}}`,
 * `{message}`, a JSON string, or plain text.
 *
 * @param text - The body text (or the decoded `X-Redivis-Error-Payload` header).
 * @returns What could be extracted; `description` is the trimmed text when it is not JSON.
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  const trimmed = text.trim();
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return trimmed ? { description: trimmed } : {};
  }
  if (typeof json === 'string') return { description: json, json };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { description: trimmed, json };
  const body = json as Record<string, unknown>;
  const out: ParsedErrorBody = { json };
  const { error } = body;
  if (typeof error === 'string') {
    out.code = error;
    out.description =
      typeof body.error_description === 'string'
        ? body.error_description
        : typeof body.message === 'string'
          ? body.message
          : error;
  } else if (typeof error === 'object' && error !== null) {
    const nested = error as Record<string, unknown>;
    if (typeof nested.message === 'string') out.description = nested.message;
    const code =
      nested.code ?? nested.reason ?? (typeof nested.status === 'string' ? nested.status : undefined);
    if (typeof code === 'string') out.code = code;
    out.status = toStatus(nested.status);
  } else if (typeof body.message === 'string') {
    out.description = body.message;
  }
  out.status ??= toStatus(body.status);
  out.scope = toList(body.scope);
  out.amrValues = toList(body.amr_values);
  out.description ??= trimmed;
  return out;
}

function decodePayload(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Builds the right {@link RedivisError} subclass for an HTTP error response.
 *
 * The body may be empty (HEAD): then the URL-encoded JSON in `X-Redivis-Error-Payload` is parsed instead. The
 * HTTP status wins over a `status` in the body; the body's status is used when `status` is 0 (unknown).
 *
 * @param status - HTTP status code.
 * @param bodyText - Response body as text (`''` for HEAD or an empty body).
 * @param headers - Response headers (for the HEAD payload, `Retry-After` and the request id).
 * @param context - Method, URL, secrets to redact and cause.
 * @returns An error; never throws.
 */
export function errorFromResponse(
  status: number,
  bodyText: string,
  headers?: HeadersLike,
  context: ErrorContext = {},
): RedivisError {
  const headerPayload = getHeader(headers, 'x-redivis-error-payload');
  const text = bodyText.trim() === '' && headerPayload ? decodePayload(headerPayload) : bodyText;
  const parsed = parseErrorBody(text);
  const effective = status || parsed.status || 0;
  // Redacted before the cut, so a token straddling it cannot leave its first characters behind.
  let description = redact(parsed.description || REASONS[effective] || `HTTP ${effective}`, context.secrets);
  if (description.length > MAX_DESCRIPTION) description = `${description.slice(0, MAX_DESCRIPTION)}…`;
  const init: RedivisErrorInit = {
    description,
    status: effective || undefined,
    code: parsed.code,
    requestId: requestIdFromHeaders(headers),
    method: context.method,
    url: context.url,
    cause: context.cause,
    body: parsed.json,
    secrets: context.secrets,
  };
  switch (effective) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new UnauthorizedError(init);
    case 403:
      return parsed.code === 'insufficient_scope'
        ? new InsufficientScopeError({ ...init, scope: parsed.scope, amrValues: parsed.amrValues })
        : new ForbiddenError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 429:
      return new RateLimitError({
        ...init,
        retryAfterMs: parseRetryAfter(getHeader(headers, 'retry-after')),
      });
    default:
      return effective >= 500 ? new ServerError(init) : new RedivisError(init);
  }
}
