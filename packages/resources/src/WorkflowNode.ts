import type { TableProperties } from '@redivis-ts/core';
import { encodePathSegment, InvalidReferenceError } from '@redivis-ts/core';
import type { ZodType } from 'zod';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions, defined, headExists } from './context.js';
import type { JobInfo, RunOptions } from './jobs.js';
import { jobOf, waitForJob } from './jobs.js';
import type { Table } from './Table.js';
import type { Workflow } from './Workflow.js';

/** The fields notebooks and transforms share. */
export interface WorkflowNodeProperties {
  /** API path of the node. */
  uri?: string;
  /** The node's name, unique within its workflow. */
  name?: string | undefined;
  /** `owner.workflow.node`. */
  qualifiedReference?: string | undefined;
  /** The job running now, when one is (a {@link JobInfo}). */
  currentJob?: unknown;
  /** The most recent finished job (a {@link JobInfo}). */
  lastRunJob?: unknown;
  /** Tables the node's code or SQL reads. */
  referencedTables?: unknown;
  /** The table the node starts from. */
  sourceTable?: unknown;
  /** The table the node writes. */
  outputTable?: unknown;
}

/** Split `owner.workflow.name` into the workflow reference and the node name. @internal */
export function splitNodeReference(reference: string, defaultWorkflow: string | undefined): [string, string] {
  const parts = reference.split('.');
  if (parts.length === 3) return [`${parts[0]}.${parts[1]}`, parts[2] as string];
  if (parts.length === 1 && defaultWorkflow) return [defaultWorkflow, reference];
  throw new InvalidReferenceError({
    input: reference,
    description: `'${reference}' is not owner.workflow.name (and REDIVIS_DEFAULT_WORKFLOW is not set).`,
  });
}

/** What notebooks and transforms have in common: run / poll, and the tables they read and write. */
export abstract class WorkflowNode<P extends WorkflowNodeProperties> {
  /** Server properties after a fetch, `run()` or `update()`. */
  properties: P | undefined;
  /** The workflow holding the node. */
  readonly workflow: Workflow;
  /** @internal */
  protected readonly ctx: ResourceContext;
  readonly #name: string;
  readonly #collection: 'notebooks' | 'transforms';
  readonly #schema: ZodType<P>;

  /** @internal */
  protected constructor(
    ctx: ResourceContext,
    init: { name: string; workflow: Workflow; properties?: P },
    collection: 'notebooks' | 'transforms',
    schema: ZodType<P>,
  ) {
    this.ctx = ctx;
    this.workflow = init.workflow;
    this.#name = init.name;
    this.properties = init.properties;
    this.#collection = collection;
    this.#schema = schema;
  }

  /** The node's name (the server's once fetched). */
  get name(): string {
    return this.properties?.name ?? this.#name;
  }

  /** `owner.workflow.name`: the server's once fetched. */
  get qualifiedReference(): string {
    return this.properties?.qualifiedReference ?? `${this.workflow.qualifiedReference}.${this.#name}`;
  }

  /** API path: the server's `uri` once known, else `/{notebooks|transforms}/{qualifiedReference}`. */
  get uri(): string {
    return this.properties?.uri ?? `/${this.#collection}/${encodePathSegment(this.qualifiedReference)}`;
  }

  /** The current job, else the last run's job (`id`, `status`, `errorMessage`), from the last fetch. */
  get job(): JobInfo | undefined {
    return jobOf(this.properties);
  }

  /** Fetch the node (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    this.properties = await this.#fetch(options);
    return this;
  }

  /** Whether the node exists (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.ctx, this.uri, options);
  }

  /**
   * Start a run (`POST {uri}/run`) and, unless `waitForFinish` is false, poll until the job completes; a failed or
   * cancelled job rejects with `JobFailedError` carrying the server's message.
   */
  async run(options?: RunOptions): Promise<this> {
    this.properties = await this.#post('run', options);
    if (options?.waitForFinish === false) return this;
    this.properties = await waitForJob(
      (signal) => this.#fetch({ ...options, ...(signal ? { signal } : {}) }),
      this.#kind(),
      options,
    );
    return this;
  }

  /** The tables the node reads (`GET {uri}` → `referencedTables`). */
  async referencedTables(options?: MethodOptions): Promise<Table[]> {
    await this.get(options);
    const tables = (this.properties?.referencedTables ?? []) as TableProperties[];
    return tables.map((t) => this.ctx.make.Table.fromProperties(this.ctx, t));
  }

  /** @deprecated Renamed {@link WorkflowNode.referencedTables}. */
  sourceTables(options?: MethodOptions): Promise<Table[]> {
    return this.referencedTables(options);
  }

  /** The node's source table (`GET {uri}` → `sourceTable`), or `null`. */
  async sourceTable(options?: MethodOptions): Promise<Table | null> {
    await this.get(options);
    const table = this.properties?.sourceTable as TableProperties | null | undefined;
    return table ? this.ctx.make.Table.fromProperties(this.ctx, table) : null;
  }

  /** The node's output table (`GET {uri}` → `outputTable`), or `null`. */
  async outputTable(options?: MethodOptions): Promise<Table | null> {
    await this.get(options);
    const table = this.properties?.outputTable as TableProperties | null | undefined;
    return table ? this.ctx.make.Table.fromProperties(this.ctx, table) : null;
  }

  /** @internal PATCH the node with the given fields. */
  protected async patch(body: Record<string, unknown>, options?: MethodOptions): Promise<this> {
    this.properties = await this.ctx.client.request({
      ...callOptions(options),
      method: 'PATCH',
      path: this.uri,
      json: defined(body),
      schema: this.#schema,
    });
    return this;
  }

  /** @internal POST an action (`run`, `stop`, `cancel`). */
  protected async post(action: string, options?: MethodOptions): Promise<this> {
    this.properties = await this.#post(action, options);
    return this;
  }

  #post(action: string, options?: MethodOptions): Promise<P> {
    return this.ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${this.uri}/${action}`,
      schema: this.#schema,
    });
  }

  #fetch(options?: MethodOptions): Promise<P> {
    return this.ctx.client.request({ ...callOptions(options), path: this.uri, schema: this.#schema });
  }

  #kind(): string {
    return this.#collection === 'notebooks' ? 'notebook' : 'transform';
  }
}

/** A table argument: an object (its qualified reference is sent) or a reference string. @internal */
export function tableRef(table: Table | string | undefined): string | undefined {
  return typeof table === 'string' || table === undefined ? table : table.qualifiedReference;
}
