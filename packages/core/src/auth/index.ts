/**
 * Authentication: token providers (static, environment, anonymous, OAuth authorization code + device flow) and
 * token stores.
 *
 * @module
 */
export type { StoredCredentials, TokenProvider, TokenRequest, TokenStore } from './types.js';
