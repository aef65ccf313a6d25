import type { QueryProperties } from '@redivis-ts/core';
import type { Query as InnerQuery } from '@redivis-ts/resources';
import type { Dataset } from './Dataset.js';
import type { Project } from './Project.js';
import { CompatResource, INNER } from './resource.js';
import { type CompatRow, type CompatRowOptions, toCompatRows, typeMap } from './rows.js';
import { compatRoot } from './state.js';
import { Variable } from './Variable.js';

/** A query's SQL and where its unqualified table names resolve. */
export interface CompatQueryOptions {
  /** The SQL. */
  query?: string;
  /** Resolve unqualified table names in this project (workflow). */
  defaultProject?: Project;
  /** Resolve unqualified table names in this dataset. */
  defaultDataset?: Dataset;
}

/**
 * A SQL query: the official client's `Query`. It is sent on first use, not in the constructor, and sent once;
 * a failed `POST /queries` rejects with the typed error (status kept) and a later call tries again.
 */
export class Query extends CompatResource<QueryProperties> {
  /** The SQL. */
  readonly sql: string;
  readonly #defaultProject: Project | undefined;
  readonly #defaultDataset: Dataset | undefined;
  #inner: InnerQuery | undefined;

  /** A query (no request until the first method call). */
  constructor(queryOrOptions: string | CompatQueryOptions, options: CompatQueryOptions = {}) {
    super();
    const o = typeof queryOrOptions === 'object' ? queryOrOptions : { ...options, query: queryOrOptions };
    if (typeof o.query !== 'string' || o.query.trim() === '')
      throw new TypeError('A query string is required.');
    this.sql = o.query;
    this.#defaultProject = o.defaultProject;
    this.#defaultDataset = o.defaultDataset;
  }

  /** API path, once the query has been created. */
  get uri(): string | undefined {
    return this.#inner?.uri;
  }

  /** Create the query if needed and fetch its state (`status`, `outputNumRows`, …). */
  async get(): Promise<this> {
    const inner = await this[INNER]().get();
    this.properties = { ...inner.properties };
    return this;
  }

  /** The output variables, once the query has completed (a failed query rejects with `JobFailedError`). */
  async listVariables(): Promise<Variable[]> {
    await this.#finished();
    const inner = await this[INNER]().listVariables();
    return inner.map((v) => Variable.adopt(v, { query: this }));
  }

  /** The output rows, once the query has completed: `listRows(100)` or `listRows({ maxResults })`. */
  async listRows(maxResultsOrOptions?: number | CompatRowOptions): Promise<CompatRow[]> {
    const o =
      typeof maxResultsOrOptions === 'object' ? maxResultsOrOptions : { maxResults: maxResultsOrOptions };
    const variables = await this.listVariables();
    const rows = await this[INNER]().listRows({
      ...(o.maxResults !== undefined ? { maxResults: o.maxResults } : {}),
      ...(o.variables?.length ? { variables: o.variables } : {}),
    });
    return toCompatRows(rows, typeMap(variables.map((v) => ({ name: v.name, type: v.type }))), o);
  }

  async #finished(): Promise<void> {
    const inner = await this[INNER]().waitForFinish();
    this.properties = { ...inner.properties };
  }

  /** @internal the `redivis-ts` query this one delegates to. */
  [INNER](): InnerQuery {
    if (!this.#inner) {
      const defaults = this.#defaultProject
        ? { defaultWorkflow: this.#defaultProject[INNER]().qualifiedReference }
        : this.#defaultDataset
          ? { defaultDataset: this.#defaultDataset[INNER]().qualifiedReference }
          : {};
      this.#inner = compatRoot().query(this.sql, defaults);
    }
    return this.#inner;
  }
}
