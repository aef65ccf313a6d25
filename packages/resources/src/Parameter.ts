import type { ParameterProperties } from '@redivis-ts/core';
import { encodePathSegment, parameterSchema } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions, defined, headExists } from './context.js';
import type { Workflow } from './Workflow.js';

/** A parameter value: what a workflow parameter holds (strings, numbers, booleans, dates as ISO strings). */
export type ParameterValue = string | number | boolean | null;

/** Options of {@link Parameter.create}. */
export interface CreateParameterOptions extends MethodOptions {
  /** The values (a parameter holds a list). */
  values: ParameterValue[];
  /** Value type (`string`, `integer`, `float`, `boolean`, `date`, `dateTime`, `time`); inferred when absent. */
  type?: string;
}

/** Options of {@link Parameter.update}; only the fields given are sent. */
export interface UpdateParameterOptions extends MethodOptions {
  /** A new name, unique within the workflow. */
  name?: string;
  /** Value type (`string`, `integer`, `float`, `boolean`, `date`, `dateTime`, `time`). */
  type?: string;
  /** Replaces the whole list of values. */
  values?: ParameterValue[];
}

/** A workflow parameter (a named list of values usable in transforms). Lazy; `properties` after a fetch. */
export class Parameter {
  /** Server properties after `get()`, `create()`, `update()` or a list call. */
  properties: ParameterProperties | undefined;
  /** The workflow holding the parameter. */
  readonly workflow: Workflow;
  readonly #ctx: ResourceContext;
  #name: string;

  /** @internal use `workflow.parameter(name)` or `redivis.parameter(ref)`. */
  constructor(ctx: ResourceContext, workflow: Workflow, name: string, properties?: ParameterProperties) {
    this.#ctx = ctx;
    this.workflow = workflow;
    this.#name = name;
    this.properties = properties;
  }

  /** The parameter's name (the server's once fetched). */
  get name(): string {
    return this.properties?.name ?? this.#name;
  }

  /** API path: the server's `uri` once known, else `{workflow.uri}/parameters/{name}`. */
  get uri(): string {
    return this.properties?.uri ?? `${this.workflow.uri}/parameters/${encodePathSegment(this.#name)}`;
  }

  /** Fetch the parameter (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    this.#set(
      await this.#ctx.client.request({ ...callOptions(options), path: this.uri, schema: parameterSchema }),
    );
    return this;
  }

  /** Whether the parameter exists (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /** The parameter's values (`GET {uri}` → `values`). */
  async getValues(options?: MethodOptions): Promise<ParameterValue[]> {
    await this.get(options);
    return (this.properties?.values ?? []) as ParameterValue[];
  }

  /** Create the parameter (`POST {workflow.uri}/parameters {name, values, type?}`). */
  async create(options: CreateParameterOptions): Promise<this> {
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${this.workflow.uri}/parameters`,
      json: { name: this.#name, values: options.values, ...defined({ type: options.type }) },
      schema: parameterSchema,
    });
    this.#set(properties);
    return this;
  }

  /**
   * Rename it or change its type or values (`PATCH {uri}`). Unlike the Python client, which builds this payload
   * but never sends it, the body is sent (as the R client does).
   */
  async update(options: UpdateParameterOptions): Promise<this> {
    const { name, type, values } = options;
    this.#set(
      await this.#ctx.client.request({
        ...callOptions(options),
        method: 'PATCH',
        path: this.uri,
        json: defined({ name, type, values }),
        schema: parameterSchema,
      }),
    );
    return this;
  }

  /** Delete the parameter (`DELETE {uri}`). */
  async delete(options?: MethodOptions): Promise<void> {
    await this.#ctx.client.request({ ...callOptions(options), method: 'DELETE', path: this.uri });
  }

  #set(properties: ParameterProperties): void {
    this.properties = properties;
    this.#name = properties.name;
  }
}
