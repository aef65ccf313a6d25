/**
 * zod 4 schemas and inferred types for every Redivis resource definition and response envelope. Objects are
 * loose: unknown fields pass through. Required fields are the ones the official clients read; the other
 * documented fields are optional, and those the docs show as possibly `null` accept `null`. Timestamps are
 * integer milliseconds since the epoch.
 *
 * `<name>Schema` validates the get representation; where the get representation requires more than a list entry
 * carries, `<name>ListItemSchema` validates list entries and `<name>BaseSchema` the form embedded in other
 * resources.
 *
 * @module
 */
export * from './auth.js';
export * from './common.js';
export * from './datasets.js';
export * from './jobs.js';
export * from './lists.js';
export * from './members.js';
export * from './nodes.js';
export * from './owners.js';
export * from './tables.js';
export * from './uploads.js';
export * from './variable-types.js';
export * from './variables.js';
export * from './versions.js';
export * from './workflows.js';
