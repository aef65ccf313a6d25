/**
 * Authentication: token providers (static, environment, anonymous, OAuth authorization code + device flow) and
 * token stores.
 *
 * @module
 */
export {
  type AuthorizationCodeFlowOptions,
  type AuthorizationResult,
  type AuthorizeContext,
  authorizationCodeFlow,
  authorizationResultFromUrl,
  OOB_AUTO_REDIRECT_URI,
  OOB_REDIRECT_URI,
} from './authorization-code.js';
export { type DeviceFlowOptions, type DeviceVerification, deviceFlow } from './device-flow.js';
export {
  OAuthAccessDeniedError,
  OAuthError,
  type OAuthErrorOptions,
  OAuthExpiredError,
  OAuthStateMismatchError,
} from './errors.js';
export { decodeJwtPayload, tokenScopes } from './jwt.js';
export { type PopupAuthorizeOptions, popupAuthorize } from './popup.js';
export { anonymous, environmentToken, staticToken } from './simple-providers.js';
export { DEFAULT_SESSION_STORAGE_KEY, memoryTokenStore, sessionStorageTokenStore } from './stores.js';
export type { StoredCredentials, TokenProvider, TokenRequest, TokenStore } from './types.js';
