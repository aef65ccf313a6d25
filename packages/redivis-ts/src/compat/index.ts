/**
 * `redivis-ts/compat`: a drop-in for the official `redivis` npm package (0.3.x). Change
 * `import redivis from 'redivis'` to `import redivis from 'redivis-ts/compat'` and the same calls run on
 * redivis-ts's transport (retries, typed errors) and Arrow reader, without the official package's known defects
 * (listed in the migration guide).
 *
 * @example
 * ```ts
 * import * as redivis from 'redivis-ts/compat';
 * await redivis.authorize({ apiToken: process.env.REDIVIS_API_TOKEN });
 * const rows = await redivis.organization('demo').dataset('iris_species').table('iris').listRows(5);
 * ```
 *
 * @module
 */
import { Organization, User } from './owners.js';
import { Query } from './Query.js';
import { authorize, clearApiProxy, deauthorize, isAuthorized, setApiProxy } from './state.js';

export { Dataset, type CompatDatasetOptions, type PublicAccessLevel } from './Dataset.js';
export { Organization, User } from './owners.js';
export { Project, type CompatProjectOptions } from './Project.js';
export { Query, type CompatQueryOptions } from './Query.js';
export { type CompatListOptions, CompatResource } from './resource.js';
export { type CompatRow, type CompatRowOptions, toCompatRows } from './rows.js';
export {
  type ApiProxyOptions,
  type AuthorizeOptions,
  authorize,
  clearApiProxy,
  deauthorize,
  isAuthorized,
  setApiProxy,
} from './state.js';
export { Table, type CompatTableOptions } from './Table.js';
export { Variable, type CompatVariableOptions } from './Variable.js';
export { Version, type CompatVersionOptions } from './Version.js';

/** An organization by name (no request). */
export function organization(name: string): Organization {
  return new Organization(name);
}

/** A user by name (no request). */
export function user(name: string): User {
  return new User(name);
}

/** A query (sent on first use). */
export function query(sql: string): Query {
  return new Query(sql);
}

/** The shape of the default export: the official package's module functions on one object. */
export interface CompatModule {
  /** See {@link authorize}. */
  authorize: typeof authorize;
  /** See {@link deauthorize}. */
  deauthorize: typeof deauthorize;
  /** See {@link isAuthorized}. */
  isAuthorized: typeof isAuthorized;
  /** See {@link setApiProxy}. */
  setApiProxy: typeof setApiProxy;
  /** See {@link clearApiProxy}. */
  clearApiProxy: typeof clearApiProxy;
  /** See {@link organization}. */
  organization: typeof organization;
  /** See {@link user}. */
  user: typeof user;
  /** See {@link query}. */
  query: typeof query;
}

/** The official package's default export: the same functions on one object. */
const redivis: CompatModule = {
  authorize,
  deauthorize,
  isAuthorized,
  setApiProxy,
  clearApiProxy,
  organization,
  user,
  query,
};
export default redivis;
