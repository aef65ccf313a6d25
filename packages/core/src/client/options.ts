import type { ZodType } from 'zod';
import type { TokenProvider } from '../auth/index.js';

/** HTTP methods the Redivis API uses. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Values a query parameter may take; `null`/`undefined` are left out, booleans become `true`/`false`. */
export type QueryValue = string | number | boolean | null | undefined;

/** Query parameters of a request. */
export type QueryParams = Record<string, QueryValue>;

/**
 * When and how failed requests are retried. Only idempotent requests (GET, HEAD, PUT, DELETE, or
 * `idempotent: true`) whose body can be sent again (not a `ReadableStream`) are retried, except that a 429 is
 * retried for any method (POST and PATCH included): the server refused it without acting on it.
 */
export interface RetryOptions {
  /**
   * Maximum retries after 408, 429, 502, 503, 504 and network failures.
   * @defaultValue 10
   */
  limit?: number;
  /**
   * Maximum retries after other 5xx responses (500, 501, 505…), which are less often transient. Never more than
   * `limit`.
   * @defaultValue 2
   */
  serverErrorLimit?: number;
  /**
   * Maximum retries after a refused connection (`ConnectionRefusedError`: nothing listens at the endpoint), which
   * waiting rarely fixes. Never more than `limit`.
   * @defaultValue 1
   */
  connectionRefusedLimit?: number;
  /**
   * Backoff base: retry `n` (from 0) waits up to `initialDelayMs * 2^n`.
   * @defaultValue 500
   */
  initialDelayMs?: number;
  /**
   * Upper bound of one backoff delay.
   * @defaultValue 20_000
   */
  backoffLimitMs?: number;
  /**
   * The longest `Retry-After` honoured. A response asking for a longer wait is not retried; its error carries
   * `retryAfterMs` so the caller can decide.
   * @defaultValue 60_000
   */
  maxRetryAfterMs?: number;
  /**
   * Full jitter: wait a uniformly random time between 0 and the backoff delay. `Retry-After` delays are used as
   * given.
   * @defaultValue true
   */
  jitter?: boolean;
  /**
   * Retry an idempotent request whose attempt hit `timeout`.
   * @defaultValue false
   */
  retryOnTimeout?: boolean;
  /** Called before each retry sleep, e.g. for logging. The error holds no token. */
  onRetry?: (info: RetryInfo) => void;
}

/** What {@link RetryOptions.onRetry} receives. */
export interface RetryInfo {
  /** Which retry this is (1 for the first). */
  retry: number;
  /** How long the client will sleep before it, in milliseconds. */
  delayMs: number;
  /** Why the previous attempt failed. */
  error: Error;
  /** HTTP method. */
  method: HttpMethod;
  /** Request URL (secrets removed). */
  url: string;
}

/** Options every call accepts; they override the client's for that call. */
export interface CallOptions {
  /** Cancels the call, including a running retry sleep; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Milliseconds per attempt (until the whole body is read; for streams until headers arrive); `false`: none. */
  timeout?: number | false;
  /** Retry options merged over the client's; `false` disables retries for this call. */
  retry?: RetryOptions | false;
  /** Extra headers, over the client's. */
  headers?: Record<string, string>;
}

/** A body the client can send: anything `fetch` takes, bytes, or a stream (never replayed on retry). */
export type RequestBody = BodyInit | Uint8Array | ReadableStream<Uint8Array>;

/** One request. */
export interface RequestSpec<T = unknown> extends CallOptions {
  /** @defaultValue `'GET'` */
  method?: HttpMethod;
  /** Path relative to the base URL (already percent-encoded, e.g. `/datasets/demo.iris`) or an absolute URL. */
  path: string;
  /** Query parameters, appended to any already in `path`. */
  query?: QueryParams;
  /** JSON body; sets `Content-Type: application/json`. Without `json` or `body` no body and no Content-Type. */
  json?: unknown;
  /** Raw body. A `ReadableStream` is sent with `duplex: 'half'` and disables retries and re-authentication. */
  body?: RequestBody;
  /** Validates the JSON response; a mismatch throws `ResponseValidationError` naming the field. */
  schema?: ZodType<T>;
  /** Overrides retry eligibility (default: GET, HEAD, PUT, DELETE retry; POST, PATCH only after a 429). */
  idempotent?: boolean;
  /**
   * Non-2xx statuses that are answers rather than errors (e.g. `308` Resume Incomplete of the resumable upload
   * protocol): `requestStream` returns such a response as it returns a 2xx one.
   */
  acceptStatus?: readonly number[];
}

/** Configuration of {@link createTransport}. */
export interface TransportOptions {
  /** A static API token. Ignored when `tokenProvider` is set. Without either, requests are anonymous. */
  apiToken?: string;
  /** Supplies tokens; wins over `apiToken`. Non-static providers are asked again once after a 401. */
  tokenProvider?: TokenProvider;
  /**
   * API base URL. Default: `REDIVIS_API_ENDPOINT` where a `process.env` exists, else `https://redivis.com/api/v1`.
   */
  baseUrl?: string;
  /** The `fetch` to use (default: the global one, looked up at call time). */
  fetch?: typeof fetch;
  /**
   * Milliseconds per attempt; `false` disables.
   * @defaultValue 125_000 (the Python client's timeout)
   */
  timeout?: number | false;
  /** Retry policy; `false` disables retries. */
  retry?: RetryOptions | false;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** `User-Agent` outside browsers (browsers control it themselves). Default `redivis-ts/<version> (<runtime>)`. */
  userAgent?: string;
  /**
   * Receives each distinct `X-Redivis-Warning` once per client (and the clients derived from it).
   * Default: `console.warn`.
   */
  onWarning?: (message: string) => void;
}

/** The default API base URL. */
export const DEFAULT_BASE_URL = 'https://redivis.com/api/v1';

/** The default timeout per attempt, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 125_000;

/**
 * The base URL to use: `explicit`, else `REDIVIS_API_ENDPOINT` (when a Node-like `process.env` exists), else
 * {@link DEFAULT_BASE_URL}; trailing slashes removed.
 *
 * @param explicit - A base URL given in the options.
 * @returns The normalised base URL.
 * @throws TypeError when the URL is not an absolute http(s) URL.
 */
export function resolveBaseUrl(explicit?: string): string {
  let fromEnv: string | undefined;
  try {
    fromEnv = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
      ?.REDIVIS_API_ENDPOINT;
  } catch {
    // Some sandboxes throw on access to process.env; treat as absent.
  }
  const raw = (explicit ?? fromEnv)?.trim() || DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`Invalid Redivis baseUrl: ${JSON.stringify(raw)} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`Invalid Redivis baseUrl: ${JSON.stringify(raw)} must use http or https`);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * The OAuth origin for a base URL: scheme, host and port, path stripped (`https://redivis.com/api/v1` →
 * `https://redivis.com`).
 *
 * @param baseUrl - An absolute base URL.
 * @returns The origin.
 */
export function oauthOriginOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}
