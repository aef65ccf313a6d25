import type { WorkflowProperties, WorkflowReference } from '@redivis-ts/core';
import {
  datasourceSchema,
  formatWorkflowReference,
  notebookSchema,
  parameterSchema,
  parseWorkflowReference,
  path,
  tableSchema,
  transformSchema,
  workflowSchema,
} from '@redivis-ts/core';
import type { ListOptions, MethodOptions, ResourceContext } from './context.js';
import { callOptions, headExists, listAll } from './context.js';
import type { Dataset } from './Dataset.js';
import type { Datasource } from './Datasource.js';
import type { Notebook } from './Notebook.js';
import type { Owner } from './owner.js';
import { ownerFromProperties, parseWithDefaultOwner } from './owner.js';
import type { Parameter } from './Parameter.js';
import type { Query } from './Query.js';
import type { Table } from './Table.js';
import type { Transform } from './Transform.js';
import type { VariableUpdate } from './Variable.js';
import { patchVariables } from './Variable.js';

/**
 * A workflow, addressed by `owner.name[:referenceId]`. Lazy; `properties` after a fetch. Gives access to its
 * tables, notebooks, transforms, parameters and data sources.
 */
export class Workflow {
  /** Server properties after `get()` or a list call. */
  properties: WorkflowProperties | undefined;
  readonly #ctx: ResourceContext;
  readonly #ref: WorkflowReference;
  readonly #owner: Owner | undefined;

  /** @internal use `redivis.workflow(ref)` or `owner.workflow(name)`. */
  constructor(
    ctx: ResourceContext,
    ref: WorkflowReference,
    init?: { owner?: Owner; properties?: WorkflowProperties },
  ) {
    this.#ctx = ctx;
    this.#ref = ref;
    this.#owner = init?.owner;
    this.properties = init?.properties;
  }

  /** @internal a workflow from a reference string (a bare name takes `REDIVIS_DEFAULT_USER` / `_ORGANIZATION`). */
  static fromReference(ctx: ResourceContext, reference: string): Workflow {
    const { ref, owner } = parseWithDefaultOwner(ctx, reference, parseWorkflowReference);
    return new Workflow(ctx, ref, owner ? { owner } : undefined);
  }

  /** @internal a workflow from a server representation. */
  static fromProperties(ctx: ResourceContext, properties: WorkflowProperties, owner?: Owner): Workflow {
    const resolved = owner ?? ownerFromProperties(ctx, properties.owner);
    const ref: WorkflowReference = {
      owner: resolved?.name ?? String(properties.qualifiedReference).split('.')[0] ?? '',
      name: properties.name,
      ...(properties.referenceId ? { referenceId: properties.referenceId } : {}),
    };
    return new Workflow(ctx, ref, { ...(resolved ? { owner: resolved } : {}), properties });
  }

  /** Display name (the server's once fetched). */
  get name(): string {
    return this.properties?.name ?? this.#ref.name;
  }

  /** `owner.name[:referenceId]`: the server's once fetched. */
  get qualifiedReference(): string {
    return this.properties?.qualifiedReference ?? formatWorkflowReference(this.#ref);
  }

  /** The reference without its owner. */
  get scopedReference(): string {
    return this.properties?.scopedReference ?? this.qualifiedReference.slice(this.#ref.owner.length + 1);
  }

  /** API path: the server's `uri` once known, else `/workflows/{qualifiedReference}`. */
  get uri(): string {
    return this.properties?.uri ?? path`/workflows/${formatWorkflowReference(this.#ref)}`;
  }

  /** The owner, once known. */
  get owner(): Owner | undefined {
    return this.#owner ?? ownerFromProperties(this.#ctx, this.properties?.owner);
  }

  /** Fetch the workflow (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: workflowSchema,
    });
    return this;
  }

  /** Whether the workflow exists and is visible (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /** The workflow's tables (pages of 100). */
  async listTables(options?: ListOptions): Promise<Table[]> {
    const items = await listAll(this.#ctx, `${this.uri}/tables`, tableSchema, 100, options);
    return items.map((p) => this.#ctx.make.Table.inWorkflow(this.#ctx, this, p.name, p));
  }

  /** The workflow's notebooks (pages of 100). */
  async listNotebooks(options?: ListOptions): Promise<Notebook[]> {
    const items = await listAll(this.#ctx, `${this.uri}/notebooks`, notebookSchema, 100, options);
    return items.map(
      (p) => new this.#ctx.make.Notebook(this.#ctx, { name: nodeName(p), workflow: this, properties: p }),
    );
  }

  /** The workflow's transforms (pages of 100). */
  async listTransforms(options?: ListOptions): Promise<Transform[]> {
    const items = await listAll(this.#ctx, `${this.uri}/transforms`, transformSchema, 100, options);
    return items.map(
      (p) => new this.#ctx.make.Transform(this.#ctx, { name: nodeName(p), workflow: this, properties: p }),
    );
  }

  /** The workflow's parameters (pages of 100). */
  async listParameters(options?: ListOptions): Promise<Parameter[]> {
    const items = await listAll(this.#ctx, `${this.uri}/parameters`, parameterSchema, 100, options);
    return items.map((p) => new this.#ctx.make.Parameter(this.#ctx, this, p.name, p));
  }

  /** The workflow's data sources (pages of 100), keyed by their `id`. */
  async listDatasources(options?: ListOptions): Promise<Datasource[]> {
    const items = await listAll(this.#ctx, `${this.uri}/dataSources`, datasourceSchema, 100, options);
    return items.map((p) => new this.#ctx.make.Datasource(this.#ctx, this, String(p.id), p));
  }

  /** Update many variables across the workflow's tables (`PATCH {uri}/variables`). */
  async updateVariables(variables: VariableUpdate[], options?: MethodOptions): Promise<void> {
    await patchVariables(this.#ctx, this.uri, variables, options);
  }

  /** A query whose unqualified table names resolve against this workflow. */
  query(sql: string): Query {
    return new this.#ctx.make.Query(this.#ctx, sql, { defaultWorkflow: this.qualifiedReference });
  }

  /** A table of this workflow (no request). */
  table(name: string): Table {
    return this.#ctx.make.Table.inWorkflow(this.#ctx, this, name);
  }

  /** A notebook of this workflow (no request). */
  notebook(name: string): Notebook {
    return new this.#ctx.make.Notebook(this.#ctx, { name, workflow: this });
  }

  /** A transform of this workflow (no request). */
  transform(name: string): Transform {
    return new this.#ctx.make.Transform(this.#ctx, { name, workflow: this });
  }

  /** A parameter of this workflow (no request). */
  parameter(name: string): Parameter {
    return new this.#ctx.make.Parameter(this.#ctx, this, name);
  }

  /** A data source of this workflow: a dataset or workflow (object or reference string) it reads (no request). */
  datasource(source: string | Dataset | Workflow): Datasource {
    return new this.#ctx.make.Datasource(
      this.#ctx,
      this,
      typeof source === 'string' ? source : source.qualifiedReference,
    );
  }
}

/** A node's name: `name`, else the last segment of its reference or URI. */
function nodeName(p: {
  name?: string | undefined;
  qualifiedReference?: string | undefined;
  uri: string;
}): string {
  return p.name ?? (p.qualifiedReference ?? decodeURIComponent(p.uri)).split(/[./]/).pop() ?? '';
}
