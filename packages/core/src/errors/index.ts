/**
 * The error tree: {@link RedivisError} and one subclass per meaning, the cross-copy guard
 * {@link isRedivisError}, and {@link errorFromResponse}, which maps any error response to the right class.
 *
 * @module
 */
export { isRedivisError, RedivisError, type RedivisErrorInit } from './base.js';
export {
  ConnectionRefusedError,
  formatPath,
  InvalidReferenceError,
  JobFailedError,
  NetworkError,
  ResponseValidationError,
  type ResponseValidationErrorInit,
  TimeoutError,
  type ValidationIssue,
  WaitTimeoutError,
} from './client-errors.js';
export {
  type ErrorContext,
  errorFromResponse,
  type HeadersLike,
  type ParsedErrorBody,
  parseErrorBody,
  parseRetryAfter,
  requestIdFromHeaders,
} from './from-response.js';
export {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  InsufficientScopeError,
  type InsufficientScopeErrorInit,
  NotFoundError,
  RateLimitError,
  type RateLimitErrorInit,
  ServerError,
  UnauthorizedError,
} from './http-errors.js';
export { REDACTED, redact } from './redact.js';
