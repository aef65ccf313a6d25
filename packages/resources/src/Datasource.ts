import type { DatasourceProperties } from '@redivis-ts/core';
import {
  datasourceSchema,
  encodePathSegment,
  formatDatasetReference,
  parseDatasetReference,
} from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions, headExists } from './context.js';
import type { Dataset } from './Dataset.js';
import type { Workflow } from './Workflow.js';

/** Options of {@link Datasource.update}. */
export interface UpdateDatasourceOptions extends MethodOptions {
  /** Point the source at another dataset (object or reference string). */
  sourceDataset?: Dataset | string;
  /** Point the source at another workflow (object or reference string). */
  sourceWorkflow?: Workflow | string;
  /** Use the dataset's sample (`true` appends `:sample`; `false` removes it). */
  sample?: boolean;
  /** Pin a dataset version (`v1_0`, `current`, …). */
  version?: string;
  /** Re-map tables: pairs of (source table, replacement table), by reference or object. */
  mappedTables?: [
    (
      | string
      | {
          /** The source table's scoped reference. */
          scopedReference: string;
        }
    ),
    (
      | string
      | {
          /** The replacement table's scoped reference. */
          scopedReference: string;
        }
    ),
  ][];
}

type Ref = { qualifiedReference?: string };

/**
 * A data source of a workflow: a dataset or another workflow whose tables it reads. Addressed as
 * `{workflow.uri}/dataSources/{source}`, where `source` is the source's reference (or the data source id).
 */
export class Datasource {
  /** Server properties after `get()`, `create()`, `update()` or a list call. */
  properties: DatasourceProperties | undefined;
  /** The workflow the source belongs to. */
  readonly workflow: Workflow;
  /** The source as given: a qualified dataset/workflow reference, or a data source id. */
  readonly source: string;
  readonly #ctx: ResourceContext;

  /** @internal use `workflow.datasource(source)` or `redivis.datasource(source, { workflow })`. */
  constructor(ctx: ResourceContext, workflow: Workflow, source: string, properties?: DatasourceProperties) {
    this.#ctx = ctx;
    this.workflow = workflow;
    this.source = source;
    this.properties = properties;
  }

  /** API path: the server's `uri` once known, else `{workflow.uri}/dataSources/{source}`. */
  get uri(): string {
    return this.properties?.uri ?? `${this.workflow.uri}/dataSources/${encodePathSegment(this.source)}`;
  }

  /** Fetch the data source (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: datasourceSchema,
    });
    return this;
  }

  /** Whether the data source exists (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /**
   * Add the source to the workflow (`POST {workflow.uri}/dataSources`). Whether it is a dataset or a workflow is
   * decided like the official clients: `HEAD /datasets/{source}` answering means a dataset.
   */
  async create(options?: MethodOptions): Promise<this> {
    const asDataset = this.#ctx.make.Dataset.fromReference(this.#ctx, this.source);
    const isDataset = await asDataset.exists(options);
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${this.workflow.uri}/dataSources`,
      json: isDataset ? { sourceDataset: this.source } : { sourceWorkflow: this.source },
      schema: datasourceSchema,
    });
    return this;
  }

  /** The source dataset, or `null` when the source is a workflow (fetches once if needed). */
  async sourceDataset(options?: MethodOptions): Promise<Dataset | null> {
    if (!this.properties) await this.get(options);
    const source = this.properties?.sourceDataset as Ref | null | undefined;
    return source?.qualifiedReference
      ? this.#ctx.make.Dataset.fromReference(this.#ctx, source.qualifiedReference)
      : null;
  }

  /** The source workflow, or `null` when the source is a dataset (fetches once if needed). */
  async sourceWorkflow(options?: MethodOptions): Promise<Workflow | null> {
    if (!this.properties) await this.get(options);
    const source = this.properties?.sourceWorkflow as Ref | null | undefined;
    return source?.qualifiedReference
      ? this.#ctx.make.Workflow.fromReference(this.#ctx, source.qualifiedReference)
      : null;
  }

  /**
   * Re-point the source, switch to/from its sample, pin a version, or re-map tables (`PATCH {uri}`).
   * `sample` / `version` edit the current dataset reference (fetched first when not known).
   */
  async update(options: UpdateDatasourceOptions): Promise<this> {
    let dataset = refOf(options.sourceDataset);
    const workflow = refOf(options.sourceWorkflow);
    if (
      dataset === undefined &&
      workflow === undefined &&
      (options.sample !== undefined || options.version)
    ) {
      if (!this.properties) await this.get(options);
      dataset = (this.properties?.sourceDataset as Ref | null | undefined)?.qualifiedReference;
    }
    if (dataset !== undefined && (options.sample !== undefined || options.version)) {
      const parsed = parseDatasetReference(dataset);
      if (options.sample !== undefined) parsed.sample = options.sample;
      if (options.version) parsed.version = options.version;
      dataset = formatDatasetReference(parsed);
    }
    const json: Record<string, unknown> = {};
    if (dataset !== undefined) json.sourceDataset = dataset;
    if (workflow !== undefined) json.sourceWorkflow = workflow;
    if (options.mappedTables) {
      json.mappedTables = Object.fromEntries(
        options.mappedTables.map(([from, to]) => [scoped(from), scoped(to)]),
      );
    }
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'PATCH',
      path: this.uri,
      json,
      schema: datasourceSchema,
    });
    return this;
  }
}

function refOf(source: { qualifiedReference: string } | string | undefined): string | undefined {
  return typeof source === 'string' ? source : source?.qualifiedReference;
}

function scoped(table: string | { scopedReference: string }): string {
  return typeof table === 'string' ? table : table.scopedReference;
}
