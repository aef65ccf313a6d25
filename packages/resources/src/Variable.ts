import type { VariableProperties, VariableStatistics } from '@redivis-ts/core';
import { encodePathSegment, variableSchema, variableStatisticsSchema, waitFor } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions, defined, headExists } from './context.js';

/** One value label to write (the read shape is core's `ValueLabel`). */
export interface ValueLabelInput {
  /** The value as stored in the table, as a string. */
  value: string;
  /** What the value means, e.g. `1` → `Male`. */
  label: string;
}

/** One entry of a bulk variable update (`updateVariables`): the variable's name plus the fields to change. */
export interface VariableUpdate {
  /** The variable to change (for dataset-wide updates, also `table`). */
  name: string;
  /** The table holding the variable (dataset / workflow bulk updates). */
  table?: string;
  /** A short label (`null` clears it). */
  label?: string | null;
  /** A longer description (markdown; `null` clears it). */
  description?: string | null;
  /** Replaces the variable's value labels. */
  valueLabels?: ValueLabelInput[];
}

/** Options of {@link Variable.update}; only the fields given are sent. */
export interface UpdateVariableOptions extends MethodOptions {
  /** A short label (`null` clears it). */
  label?: string | null;
  /** A longer description (markdown; `null` clears it). */
  description?: string | null;
  /** Replaces the variable's value labels. */
  valueLabels?: ValueLabelInput[];
}

export type { VariableStatistics };

/** Options of {@link Variable.getStatistics}. */
export interface StatisticsOptions extends MethodOptions {
  /** Give up after this long while statistics are still computing (a `WaitTimeoutError`). */
  maxWaitMs?: number;
  /** Poll delay bounds in ms. @default 2000 both, the official clients' interval */
  minDelayMs?: number;
  /** @default 2000 */
  maxDelayMs?: number;
}

/** A variable (column) of a table, upload or query result. Lazy; `properties` after a fetch. */
export class Variable {
  /** The variable's name (the server's once fetched). */
  readonly name: string;
  /** Server properties after `get()` / `update()` or a list call. */
  properties: VariableProperties | undefined;
  readonly #ctx: ResourceContext;
  readonly #parentUri: string;

  /** @internal use `table.variable(name)`, `upload.variable(name)` or `await query.variable(name)`. */
  constructor(ctx: ResourceContext, parentUri: string, name: string, properties?: VariableProperties) {
    this.#ctx = ctx;
    this.#parentUri = parentUri;
    this.name = properties?.name ?? name;
    this.properties = properties;
  }

  /** API path: the server's `uri` once known, else `{parent.uri}/variables/{name}`. */
  get uri(): string {
    return this.properties?.uri ?? `${this.#parentUri}/variables/${encodePathSegment(this.name)}`;
  }

  /** Fetch the variable (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: variableSchema,
    });
    return this;
  }

  /** Whether the variable exists (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /** Change the label, description or value labels (`PATCH {uri}`). */
  async update(options: UpdateVariableOptions): Promise<this> {
    const { label, description, valueLabels } = options;
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'PATCH',
      path: this.uri,
      json: defined({ label, description, valueLabels }),
      schema: variableSchema,
    });
    return this;
  }

  /**
   * Summary statistics (`GET {uri}/statistics`), polled while their `status` is `queued` or `running`.
   * Resolves with the final statistics (also when their status is `failed`, as the official client does).
   */
  getStatistics(options?: StatisticsOptions): Promise<VariableStatistics> {
    const poll = (signal?: AbortSignal) =>
      this.#ctx.client.request({
        ...callOptions(options),
        ...(signal ? { signal } : {}),
        path: `${this.uri}/statistics`,
        schema: variableStatisticsSchema,
      });
    return waitFor(poll, {
      isDone: (s) => s.status !== 'queued' && s.status !== 'running',
      minDelayMs: options?.minDelayMs ?? 2000,
      maxDelayMs: options?.maxDelayMs ?? 2000,
      ...(options?.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
      ...(options?.signal ? { signal: options.signal } : {}),
    });
  }
}

/** Turn variable list items into objects under `parentUri`. @internal */
export function variablesFrom(
  ctx: ResourceContext,
  parentUri: string,
  items: VariableProperties[],
): Variable[] {
  return items.map((p) => new Variable(ctx, parentUri, p.name, p));
}

/** `PATCH {parentUri}/variables`: the bulk variable update shared by tables, datasets and workflows. @internal */
export async function patchVariables(
  ctx: ResourceContext,
  parentUri: string,
  variables: VariableUpdate[],
  options?: MethodOptions,
): Promise<void> {
  await ctx.client.request({
    ...callOptions(options),
    method: 'PATCH',
    path: `${parentUri}/variables`,
    json: { variables },
  });
}
