/**
 * Token pagination: a lazily started, awaitable first page that is also an async iterable over every item.
 *
 * @module
 */
export { DEFAULT_PAGE_SIZE, paginate } from './paginate.js';
export type { Page, PagePromise, PaginateSpec } from './types.js';
