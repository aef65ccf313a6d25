import type { RedivisError } from '../errors/index.js';
import { ConnectionRefusedError, NetworkError, TimeoutError } from '../errors/index.js';
import type { HttpMethod, RequestBody, RetryOptions } from './options.js';

/** Retry options with every default filled in. */
export type ResolvedRetryOptions = Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: ResolvedRetryOptions = {
  limit: 10,
  serverErrorLimit: 2,
  connectionRefusedLimit: 1,
  initialDelayMs: 500,
  backoffLimitMs: 20_000,
  maxRetryAfterMs: 60_000,
  jitter: true,
  retryOnTimeout: false,
};

const NO_RETRY: ResolvedRetryOptions = {
  ...DEFAULT_RETRY,
  limit: 0,
  serverErrorLimit: 0,
  connectionRefusedLimit: 0,
};

// Statuses that say "try again" by definition; other 5xx get the smaller serverErrorLimit.
const TRANSIENT_STATUSES = new Set([408, 429, 502, 503, 504]);

const IDEMPOTENT_METHODS = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * Merges client- and call-level retry options over the defaults; `false` at either level disables retries.
 *
 * @param client - The client's options.
 * @param call - The call's options (win over the client's).
 */
export function resolveRetry(
  client: RetryOptions | false | undefined,
  call: RetryOptions | false | undefined,
): ResolvedRetryOptions {
  if (call === false || (client === false && call === undefined)) return NO_RETRY;
  return { ...DEFAULT_RETRY, ...(client || {}), ...(call || {}) };
}

/**
 * Whether a request may be retried at all: idempotent by method or by declaration, and with a body that can be
 * sent again (a `ReadableStream` is consumed by the first attempt).
 *
 * @param method - HTTP method.
 * @param body - The raw body, if any.
 * @param idempotent - An explicit override.
 */
export function isRetryEligible(
  method: HttpMethod,
  body: RequestBody | undefined,
  idempotent?: boolean,
): boolean {
  if (isStreamBody(body)) return false;
  return idempotent ?? IDEMPOTENT_METHODS.has(method);
}

/**
 * Whether a failure of a request that is not retry-eligible may still be retried: a 429 says the server refused
 * the request without acting on it (rate limited), so sending it again creates nothing twice, POST included. Other
 * failures of a POST (a 503, a dropped connection) leave unknown whether it was processed, so they are not retried.
 *
 * @param error - Why the attempt failed.
 */
export function refusedUnprocessed(error: RedivisError): boolean {
  return error.status === 429;
}

/**
 * Whether `body` is a one-shot stream.
 *
 * @param body - A request body.
 */
export function isStreamBody(body: unknown): body is ReadableStream {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
}

/**
 * How long to wait before retrying after `error`, or `undefined` when it must not be retried.
 *
 * @param error - Why the attempt failed.
 * @param retriesSoFar - Retries already made for this request.
 * @param options - The resolved retry options.
 * @param retryAfterMs - The response's `Retry-After`, in milliseconds, when it had one.
 * @param random - Source of randomness in [0, 1) for the jitter.
 */
export function retryDelay(
  error: RedivisError,
  retriesSoFar: number,
  options: ResolvedRetryOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  let limit: number;
  if (error instanceof TimeoutError) limit = options.retryOnTimeout ? options.limit : 0;
  else if (error instanceof ConnectionRefusedError) {
    limit = Math.min(options.connectionRefusedLimit, options.limit);
  } else if (error instanceof NetworkError) limit = options.limit;
  else if (error.status !== undefined && TRANSIENT_STATUSES.has(error.status)) limit = options.limit;
  else if (error.status !== undefined && error.status >= 500) {
    limit = Math.min(options.serverErrorLimit, options.limit);
  } else return undefined;
  if (retriesSoFar >= limit) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs > options.maxRetryAfterMs ? undefined : retryAfterMs;
  return backoffDelay(retriesSoFar, options, random);
}

/** The part of {@link RetryOptions} that shapes the backoff; every retry and reconnect loop uses these names. */
export type BackoffOptions = Required<Pick<RetryOptions, 'initialDelayMs' | 'backoffLimitMs' | 'jitter'>>;

/**
 * The exponential backoff of every retry loop in the SDK (requests here, stream reconnects in
 * `@redivis-ts/arrow`): `initialDelayMs * 2^retriesSoFar` capped at `backoffLimitMs`, then with `jitter` a uniformly
 * random wait between 0 and that ("full jitter", so many clients retrying at once spread out).
 *
 * @param retriesSoFar - Retries already made (0 before the first).
 * @param options - The backoff base, cap and jitter.
 * @param random - Source of randomness in [0, 1).
 */
export function backoffDelay(
  retriesSoFar: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.backoffLimitMs, options.initialDelayMs * 2 ** retriesSoFar);
  return options.jitter ? Math.floor(random() * ceiling) : ceiling;
}
