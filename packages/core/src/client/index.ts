/**
 * The HTTP client: {@link createTransport} and its options. One request path (ky underneath) with auth headers,
 * re-authentication, retries, error mapping and response validation.
 *
 * @module
 */
export { parseJsonBody, type ValidationContext, validate, validationError } from './body.js';
export { callOptionsOf } from './call-options.js';
export { createTransport, type RedivisTransport } from './client.js';
export { clientHeaders, defaultUserAgent, isBrowserLike } from './headers.js';
export {
  type CallOptions,
  type TransportOptions,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  type HttpMethod,
  oauthOriginOf,
  type QueryParams,
  type QueryValue,
  type RequestBody,
  type RequestSpec,
  type RetryInfo,
  type RetryOptions,
  resolveBaseUrl,
} from './options.js';
export {
  type BackoffOptions,
  backoffDelay,
  DEFAULT_RETRY,
  isRetryEligible,
  type ResolvedRetryOptions,
  retryDelay,
} from './retry.js';
export type { ResponseKind } from './transport.js';
export { buildUrl } from './url.js';
export { CLIENT_NAME, VERSION } from './version.js';
