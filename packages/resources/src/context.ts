import type { CallOptions, RedivisTransport } from '@redivis-ts/core';
import { callOptionsOf, isRedivisError } from '@redivis-ts/core';
import type { ZodType } from 'zod';
import type { Dataset } from './Dataset.js';
import type { Datasource } from './Datasource.js';
import type { Member } from './Member.js';
import type { Notebook } from './Notebook.js';
import type { Organization } from './Organization.js';
import type { Parameter } from './Parameter.js';
import type { Platform } from './platform.js';
import type { Query } from './Query.js';
import type { Secret } from './Secret.js';
import type { Table } from './Table.js';
import type { Transform } from './Transform.js';
import type { Upload } from './Upload.js';
import type { User } from './User.js';
import type { Variable } from './Variable.js';
import type { Version } from './Version.js';
import type { Workflow } from './Workflow.js';

/**
 * The resource classes, reached through the context so that class modules import each other as types only: a
 * class that makes another writes `new this.#ctx.make.Table(...)` or `ctx.make.Dataset.fromReference(...)`, and
 * only `resource-classes.ts` imports them all as values. @internal
 */
export interface ResourceClasses {
  readonly Dataset: typeof Dataset;
  readonly Datasource: typeof Datasource;
  readonly Member: typeof Member;
  readonly Notebook: typeof Notebook;
  readonly Organization: typeof Organization;
  readonly Parameter: typeof Parameter;
  readonly Query: typeof Query;
  readonly Secret: typeof Secret;
  readonly Table: typeof Table;
  readonly Transform: typeof Transform;
  readonly Upload: typeof Upload;
  readonly User: typeof User;
  readonly Variable: typeof Variable;
  readonly Version: typeof Version;
  readonly Workflow: typeof Workflow;
}

/** Shared by every resource object: the core client, the platform features and the class factory. @internal */
export interface ResourceContext {
  readonly client: RedivisTransport;
  readonly platform: Platform;
  /** The classes resources make each other with (see {@link ResourceClasses}). */
  readonly make: ResourceClasses;
}

/** Per-call options every method accepts (abort signal, timeout, retry, extra headers). */
export type MethodOptions = CallOptions;

/** Options of the `list*` methods. */
export interface ListOptions extends MethodOptions {
  /** Stop after this many results (all of them when absent). */
  maxResults?: number;
}

/** Copy only the transport options out of a method's options object (core's `callOptionsOf`). @internal */
export function callOptions(options: MethodOptions | undefined): CallOptions {
  return callOptionsOf(options);
}

/** `HEAD uri`: true on 2xx, false on 404, anything else rethrown. @internal */
export function headExists(ctx: ResourceContext, uri: string, options?: MethodOptions): Promise<boolean> {
  return answers(() => ctx.client.request({ ...callOptions(options), method: 'HEAD', path: uri }));
}

/** Whether a probing request answers: true on 2xx, false on 404, anything else rethrown. @internal */
export async function answers(request: () => Promise<unknown>): Promise<boolean> {
  try {
    await request();
    return true;
  } catch (error) {
    if (isRedivisError(error) && error.status === 404) return false;
    throw error;
  }
}

/** Every item of a paged list endpoint (up to `maxResults`), validated with the item schema. @internal */
export function listAll<T>(
  ctx: ResourceContext,
  path: string,
  schema: ZodType<T>,
  pageSize: number,
  options?: ListOptions,
  query?: Record<string, string | number | boolean | undefined>,
): Promise<T[]> {
  return ctx.client
    .paginate<T>({
      ...callOptions(options),
      path,
      schema,
      pageSize,
      ...(options?.maxResults !== undefined ? { maxResults: options.maxResults } : {}),
      ...(query ? { query } : {}),
    })
    .toArray();
}

/** Drop keys whose value is `undefined`, so PATCH bodies only carry what the caller set. @internal */
export function defined<T extends Record<string, unknown>>(body: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (value !== undefined) out[key] = value;
  return out as Partial<T>;
}

/** Lower-cased, de-duplicated label set algebra used by `addLabels` / `removeLabels`. */
function mergeLabels(
  existing: readonly string[] | undefined,
  change: readonly string[],
  add: boolean,
): string[] {
  const set = new Set((existing ?? []).map((l) => l.toLowerCase()));
  for (const label of change) {
    if (add) set.add(label.toLowerCase());
    else set.delete(label.toLowerCase());
  }
  return [...set];
}

/** A resource whose labels `addLabels` / `removeLabels` edit. @internal */
export interface Labelled<T> {
  readonly properties?: { labels?: readonly string[] | undefined } | undefined;
  get(options?: MethodOptions): Promise<unknown>;
  update(options: MethodOptions & { labels: string[] }): Promise<T>;
}

/** `addLabels` / `removeLabels`: `GET` the resource, then `PATCH` its labels with `change` added or removed. @internal */
export async function changeLabels<T>(
  resource: Labelled<T>,
  change: readonly string[],
  add: boolean,
  options?: MethodOptions,
): Promise<T> {
  await resource.get(options);
  return resource.update({ ...options, labels: mergeLabels(resource.properties?.labels, change, add) });
}
