/**
 * `@redivis-ts/emulator`: a local Redivis API server on DuckDB, for tests and offline development.
 *
 * @packageDocumentation
 */
export type { EmulatorContext, EmulatorOptions, RateLimitOptions } from './context.js';
export { FAULT_HEADER, type FaultOptions, type FaultRule } from './faults/options.js';
export { type EmulatorToken, type RunningEmulator, startEmulator } from './server.js';
export { DEMO_TOKENS, DEMO_USERS } from './seed/users.js';
export { type RegisteredOAuthApp, type RegisterOAuthAppInput, registerOAuthApp } from './oauth/apps.js';
export type { OAuthOptions } from './oauth/config.js';
