import type { TableProperties } from '@redivis-ts/core';
import type { Table as InnerTable } from '@redivis-ts/resources';
import type { Dataset } from './Dataset.js';
import type { Project } from './Project.js';
import { type CompatListOptions, CompatResource, INNER, nameAndOptions } from './resource.js';
import { type CompatRow, type CompatRowOptions, toCompatRows, typeMap } from './rows.js';
import { Variable } from './Variable.js';

/** Where a {@link Table} lives. */
export interface CompatTableOptions {
  /** The table's name. */
  name?: string;
  /** Read the dataset's sample (`:sample`). */
  sample?: boolean;
  /** The dataset holding it. */
  dataset?: Dataset;
  /** The project (workflow) holding it. */
  project?: Project;
  /** Known server properties. */
  properties?: Partial<TableProperties>;
}

/** A table of a dataset or project: the official client's `Table`. */
export class Table extends CompatResource<TableProperties> {
  /** The table's name. */
  readonly name: string;
  /** The dataset holding it, if any. */
  readonly dataset: Dataset | undefined;
  /** The project holding it, if any. */
  readonly project: Project | undefined;
  /** `owner.container[:version].table[:sample]`. */
  readonly identifier: string;
  /** Whether `get()` has filled {@link CompatResource.properties}. */
  hasPopulatedProperties = false;
  /** The variables, once `listVariables()` has read them all. */
  variables: Variable[] | undefined;
  readonly #sample: boolean;
  #inner: InnerTable | undefined;

  /** A table of `options.dataset` or `options.project` (no request). */
  constructor(nameOrOptions: string | CompatTableOptions, options?: CompatTableOptions) {
    super();
    const o = nameAndOptions(nameOrOptions, options);
    const parent = o.dataset ?? o.project;
    if (!parent) throw new TypeError('A table needs a dataset or a project.');
    this.name = o.name;
    this.dataset = o.dataset;
    this.project = o.project;
    this.#sample = o.sample ?? false;
    const version = o.dataset ? `:${o.dataset.version}` : '';
    this.identifier = `${parent.ownerName}.${parent.name}${version}.${o.name}${this.#sample ? ':sample' : ''}`;
    this.properties = { name: o.name, ...o.properties };
  }

  /** API path: the server's once fetched. */
  get uri(): string {
    return this.#inner?.uri ?? `/tables/${encodeURIComponent(this.identifier)}`;
  }

  /** A variable of this table (no request). */
  variable(name: string): Variable {
    return new Variable(name, { table: this });
  }

  /** Whether the table exists; any failure but 404 is thrown. */
  exists(): Promise<boolean> {
    return this[INNER]().exists();
  }

  /** Fetch the table's properties (`numRows`, `numBytes`, …). */
  async get(): Promise<this> {
    const inner = await this[INNER]().get();
    this.properties = { ...inner.properties } as Partial<TableProperties>;
    this.hasPopulatedProperties = true;
    return this;
  }

  /** The table's variables (pages of 1000). */
  async listVariables(options: CompatListOptions = {}): Promise<Variable[]> {
    const inner = await this[INNER]().listVariables(options);
    const variables = inner.map((v) => Variable.adopt(v, { table: this }));
    if (options.maxResults === undefined || variables.length < options.maxResults) this.variables = variables;
    return variables;
  }

  /**
   * Rows as objects keyed by variable name, typed like the official client's (see {@link toCompatRows}):
   * `listRows(100)`, `listRows({ maxResults, variables })`.
   */
  async listRows(
    maxResultsOrOptions?: number | CompatRowOptions,
    options: CompatRowOptions = {},
  ): Promise<CompatRow[]> {
    const o =
      typeof maxResultsOrOptions === 'object'
        ? maxResultsOrOptions
        : { ...options, maxResults: maxResultsOrOptions };
    const variables = this.variables ?? (await this.listVariables());
    const rows = await this[INNER]().listRows({
      ...(o.maxResults !== undefined ? { maxResults: o.maxResults } : {}),
      ...(o.variables?.length ? { variables: o.variables } : {}),
    });
    return toCompatRows(rows, typeMap(variables.map((v) => ({ name: v.name, type: v.type }))), o);
  }

  /** @internal the `redivis-ts` table this one delegates to. */
  [INNER](): InnerTable {
    if (!this.#inner) {
      const name = this.#sample ? `${this.name}:sample` : this.name;
      this.#inner = this.dataset
        ? this.dataset[INNER]().table(name)
        : (this.project as Project)[INNER]().table(name);
    }
    return this.#inner;
  }

  /** @internal wrap a `redivis-ts` table. */
  static adopt(inner: InnerTable, parent: { dataset?: Dataset; project?: Project }): Table {
    const t = new Table(inner.name, {
      ...parent,
      properties: { ...inner.properties } as Partial<TableProperties>,
    });
    t.#inner = inner;
    return t;
  }
}
