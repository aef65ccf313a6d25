import type { WorkflowProperties } from '@redivis-ts/core';
import type { Workflow } from '@redivis-ts/resources';
import type { User } from './owners.js';
import { Query } from './Query.js';
import { type CompatListOptions, CompatResource, INNER, nameAndOptions } from './resource.js';
import { compatRoot } from './state.js';
import { Table } from './Table.js';

/** A project's name and owner. */
export interface CompatProjectOptions {
  /** The project's name. */
  name?: string;
  /** The owning user. */
  user?: User;
  /** Known server properties. */
  properties?: Partial<WorkflowProperties>;
}

/**
 * A project: the official client's `Project`, which targets the retired `/projects` API. Here it is a Redivis
 * workflow (what projects became) and talks to `/workflows`.
 */
export class Project extends CompatResource<WorkflowProperties> {
  /** The project's name. */
  readonly name: string;
  /** The owning user. */
  readonly user: User;
  /** `user.project`. */
  readonly identifier: string;
  #inner: Workflow | undefined;

  /** A project of `options.user` (no request). */
  constructor(nameOrOptions: string | CompatProjectOptions, options?: CompatProjectOptions) {
    super();
    const o = nameAndOptions(nameOrOptions, options);
    if (!o.user) throw new TypeError('A project needs a user.');
    this.name = o.name;
    this.user = o.user;
    this.identifier = `${o.user.name}.${o.name}`;
    this.properties = { ...o.properties };
  }

  /** The owner's name. */
  get ownerName(): string {
    return this.user.name;
  }

  /** API path (a workflow's). */
  get uri(): string {
    return this[INNER]().uri;
  }

  /** A query whose unqualified table names resolve in this project. */
  query(query: string): Query {
    return new Query({ query, defaultProject: this });
  }

  /** A table of this project (no request). */
  table(name: string): Table {
    return new Table({ name, project: this });
  }

  /**
   * The project's tables. `includeDatasetTables` is accepted for compatibility; the workflows API lists the
   * workflow's own tables.
   */
  async listTables(options: CompatListOptions & { includeDatasetTables?: boolean } = {}): Promise<Table[]> {
    const tables = await this[INNER]().listTables(
      options.maxResults !== undefined ? { maxResults: options.maxResults } : {},
    );
    return tables.map((t) => Table.adopt(t, { project: this }));
  }

  /** @internal the `redivis-ts` workflow this one delegates to. */
  [INNER](): Workflow {
    this.#inner ??= compatRoot().user(this.user.name).workflow(this.name);
    return this.#inner;
  }
}
