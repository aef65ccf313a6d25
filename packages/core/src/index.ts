/**
 * `@redivis-ts/core`: configuration, HTTP transport, auth, errors, retries, pagination, references and zod
 * schemas for the Redivis API. Browser-safe: no `node:` imports, works on any `fetch`.
 *
 * @packageDocumentation
 */
export * from './auth/index.js';
export * from './client/index.js';
export * from './errors/index.js';
export * from './pagination/index.js';
export * from './references/index.js';
export * from './schemas/index.js';
export * from './wait/index.js';
