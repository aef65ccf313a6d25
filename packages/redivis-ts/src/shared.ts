import type { TransportOptions } from '@redivis-ts/core';
import type { Platform } from '@redivis-ts/resources';

/** Options of `createClient`: core's {@link TransportOptions} plus the platform features to use. */
export interface RedivisOptions extends TransportOptions {
  /**
   * Platform features (file system for downloads, `REDIVIS_DEFAULT_*` env values, token store). In Node the
   * defaults are the local file system and `process.env`; entries given here replace them.
   */
  platform?: Platform;
}

export type {
  TransportOptions,
  DatasetReference,
  RedivisTransport,
  RetryOptions,
  TableReference,
  TokenProvider,
  TokenStore,
  WorkflowReference,
} from '@redivis-ts/core';
export {
  type AuthorizationCodeFlowOptions,
  authorizationCodeFlow,
  BadRequestError,
  ConflictError,
  ConnectionRefusedError,
  deviceFlow,
  ForbiddenError,
  InsufficientScopeError,
  InvalidReferenceError,
  isRedivisError,
  JobFailedError,
  memoryTokenStore,
  NetworkError,
  NotFoundError,
  OAuthAccessDeniedError,
  OAuthError,
  OAuthExpiredError,
  OAuthStateMismatchError,
  OOB_AUTO_REDIRECT_URI,
  OOB_REDIRECT_URI,
  type PopupAuthorizeOptions,
  popupAuthorize,
  RateLimitError,
  RedivisError,
  ResponseValidationError,
  ServerError,
  sessionStorageTokenStore,
  staticToken,
  TimeoutError,
  UnauthorizedError,
  WaitTimeoutError,
} from '@redivis-ts/core';
// Every RedivisError subclass of core, arrow, upload, resources and node is exported here
// (test/errors-exported.test.ts).
export {
  SchemaMismatchError,
  StreamReadError,
  StreamTruncatedError,
  UnknownVariableError,
  UnsafeIntegerError,
} from '@redivis-ts/arrow';
export {
  ResumableUploadError,
  SessionGoneError,
  UploadFailedError,
  UploadUsageError,
} from '@redivis-ts/upload';
export * from '@redivis-ts/resources';
