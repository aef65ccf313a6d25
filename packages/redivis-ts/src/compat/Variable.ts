import type { VariableProperties } from '@redivis-ts/core';
import type { Variable as InnerVariable } from '@redivis-ts/resources';
import type { Query } from './Query.js';
import { CompatResource, INNER } from './resource.js';
import type { Table } from './Table.js';

/** Where a {@link Variable} comes from and what is known about it. */
export interface CompatVariableOptions {
  /** The variable's name. */
  name?: string;
  /** The table it belongs to. */
  table?: Table;
  /** The query whose output it is. */
  query?: Query;
  /** Known server properties. */
  properties?: Partial<VariableProperties>;
}

/** A variable (column) of a table or query result: the official client's `Variable`. */
export class Variable extends CompatResource<VariableProperties> {
  /** The variable's name. */
  readonly name: string;
  /** The table it belongs to, if any. */
  readonly table: Table | undefined;
  /** The query it belongs to, if any. */
  readonly query: Query | undefined;
  /** @internal */
  [INNER]: InnerVariable | undefined;

  /** A variable of `options.table` or `options.query` (no request). */
  constructor(nameOrOptions: string | CompatVariableOptions, options: CompatVariableOptions = {}) {
    super();
    const o = typeof nameOrOptions === 'object' ? nameOrOptions : { ...options, name: nameOrOptions };
    if (!o.name) throw new TypeError('A variable name is required.');
    if (!o.table && !o.query) throw new TypeError('A variable needs a table or a query.');
    this.name = o.name;
    this.table = o.table;
    this.query = o.query;
    this.properties = { name: o.name, ...o.properties };
  }

  /** The Redivis type (`integer`, `float`, `string`, `date`, `dateTime`, `time`, `boolean`, `geography`). */
  get type(): string | undefined {
    return this.properties.type;
  }

  /** API path of the variable. */
  get uri(): string {
    return (
      this[INNER]?.uri ?? `${(this.table ?? this.query)?.uri}/variables/${encodeURIComponent(this.name)}`
    );
  }

  /** Whether the variable exists; any failure but 404 is thrown. */
  async exists(): Promise<boolean> {
    return (await this.#inner()).exists();
  }

  /** Fetch the variable's properties. */
  async get(): Promise<this> {
    const inner = await (await this.#inner()).get();
    this.properties = { ...inner.properties };
    return this;
  }

  async #inner(): Promise<InnerVariable> {
    if (!this[INNER]) {
      this[INNER] = this.table
        ? this.table[INNER]().variable(this.name)
        : await (this.query as Query)[INNER]().variable(this.name);
    }
    return this[INNER];
  }

  /** @internal wrap a `redivis-ts` variable. */
  static adopt(inner: InnerVariable, parent: { table?: Table; query?: Query }): Variable {
    const v = new Variable(inner.name, { ...parent, properties: { ...inner.properties } });
    v[INNER] = inner;
    return v;
  }
}
