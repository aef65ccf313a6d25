import type { TableBaseProperties, TableListItemProperties, TableProperties } from '@redivis-ts/core';
import { exportSchema, path, tableSchema, uploadListItemSchema, variableSchema } from '@redivis-ts/core';
import type { ListOptions, MethodOptions, ResourceContext } from './context.js';
import { callOptions, defined, headExists, listAll } from './context.js';
import type { AddedFile, AddFilesOptions } from './add-files.js';
import type { Dataset } from './Dataset.js';
import type { Directory } from './Directory.js';
import type { DownloadOptions } from './Export.js';
import type { File } from './File.js';
import type { DirectoryOptions, DownloadFilesOptions, ListFilesOptions } from './files.js';
import { FileListing } from './files.js';
import { requireFs } from './platform.js';
import { TabularReader } from './TabularReader.js';
import { tableParents } from './table-parents.js';
import type { Upload } from './Upload.js';
import type { VariableUpdate } from './Variable.js';
import type { Variable } from './Variable.js';
import { patchVariables, variablesFrom } from './Variable.js';
import type { Workflow } from './Workflow.js';

/** Any representation of a table: get, list entry, or the base form embedded in other resources. */
export type AnyTableProperties = TableProperties | TableListItemProperties | TableBaseProperties;

/** Options of {@link Table.create}. */
export interface CreateTableOptions extends MethodOptions {
  /** The table's description (markdown); `null` for none. */
  description?: string | null;
  /** How uploads in one version combine. @default 'append' */
  uploadMergeStrategy?: 'append' | 'replace';
  /** Create a file-index table (for raw files). @default false */
  isFileIndex?: boolean;
}

/** Options of {@link Table.update}; only the fields given are sent. */
export interface UpdateTableOptions extends MethodOptions {
  /** A new name, unique within the dataset version or workflow. */
  name?: string;
  /** The table's description (markdown); `null` clears it. */
  description?: string | null;
  /** How uploads in one version combine: appended to each other, or each replacing the table's rows. */
  uploadMergeStrategy?: 'append' | 'replace';
}

/** Options of {@link Table.download}. */
export interface TableDownloadOptions extends DownloadOptions {
  /** Export format: `csv`, `parquet`, `ndjson`, `avro`, `dta`, `sav`. @default 'csv' */
  format?: string;
}

/**
 * A table in a dataset or workflow, addressed by `owner.container[:version].table`. Lazy; `properties` after a
 * fetch. When built from a reference string the container kind is unknown until `get()` reads `container.kind`.
 * Inherits the streaming readers of {@link TabularReader}.
 */
export class Table extends TabularReader {
  /** Server properties after `get()`, `create()`, `update()` or a list call. */
  properties: AnyTableProperties | undefined;
  readonly #ctx: ResourceContext;
  readonly #name: string;
  #dataset: Dataset | undefined;
  #workflow: Workflow | undefined;
  /** The locally built reference (parent reference + name), or the bare name for notebook-scoped tables. */
  readonly #localRef: string;
  readonly #files: FileListing;

  /** @internal use `redivis.table(ref)`, `dataset.table(name)` or `workflow.table(name)`. */
  constructor(
    ctx: ResourceContext,
    init: {
      name: string;
      localRef: string;
      dataset?: Dataset;
      workflow?: Workflow;
      properties?: AnyTableProperties;
    },
  ) {
    super();
    this.#ctx = ctx;
    this.#name = init.name;
    this.#localRef = init.localRef;
    this.#dataset = init.dataset;
    this.#workflow = init.workflow;
    this.properties = init.properties;
    this.#files = new FileListing(ctx, () => this.uri);
    if (init.properties) this.#resolveContainer(init.properties);
  }

  /** @internal a table of a dataset. */
  static inDataset(
    ctx: ResourceContext,
    dataset: Dataset,
    name: string,
    properties?: AnyTableProperties,
  ): Table {
    const init = { name, localRef: `${dataset.qualifiedReference}.${name}`, dataset };
    return new Table(ctx, properties ? { ...init, properties } : init);
  }

  /** @internal a table of a workflow. */
  static inWorkflow(
    ctx: ResourceContext,
    workflow: Workflow,
    name: string,
    properties?: AnyTableProperties,
  ): Table {
    const init = { name, localRef: `${workflow.qualifiedReference}.${name}`, workflow };
    return new Table(ctx, properties ? { ...init, properties } : init);
  }

  /** @internal a table from a server representation (e.g. a notebook's `outputTable`). */
  static fromProperties(ctx: ResourceContext, properties: AnyTableProperties): Table {
    return new Table(ctx, { name: properties.name, localRef: properties.qualifiedReference, properties });
  }

  /** The table's name (the server's once fetched). */
  get name(): string {
    return this.properties?.name ?? this.#name;
  }

  /** Full reference, usable in SQL: the server's once fetched. */
  get qualifiedReference(): string {
    return this.properties?.qualifiedReference ?? this.#localRef;
  }

  /** The reference relative to the container (`name[:referenceId]`). */
  get scopedReference(): string {
    return this.properties?.scopedReference ?? this.#name;
  }

  /** API path: the server's `uri` once known, else `/tables/{qualifiedReference}`. */
  get uri(): string {
    return this.properties?.uri ?? path`/tables/${this.#localRef}`;
  }

  /** The containing dataset; `undefined` when the table is known to live in a workflow. */
  get dataset(): Dataset | undefined {
    return this.#dataset;
  }

  /** The containing workflow; `undefined` when the table is known to live in a dataset. */
  get workflow(): Workflow | undefined {
    return this.#workflow;
  }

  /** Fetch the table (`GET {uri}`); `container.kind` settles whether it is a dataset or workflow table. */
  async get(options?: MethodOptions): Promise<this> {
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: tableSchema,
    });
    this.#setProperties(properties);
    return this;
  }

  /** Whether the table exists (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /** Create the table in its dataset's `next` version (`POST {dataset.uri}/tables`). */
  async create(options?: CreateTableOptions): Promise<this> {
    const dataset = this.#dataset;
    if (!dataset) throw tableParents.notInDataset(this.qualifiedReference);
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${dataset.uri}/tables`,
      json: {
        name: this.#name,
        uploadMergeStrategy: options?.uploadMergeStrategy ?? 'append',
        isFileIndex: options?.isFileIndex ?? false,
        ...defined({ description: options?.description }),
      },
      schema: tableSchema,
    });
    this.#setProperties(properties);
    return this;
  }

  /** Delete the table (`DELETE {uri}`). */
  async delete(options?: MethodOptions): Promise<void> {
    await this.#ctx.client.request({ ...callOptions(options), method: 'DELETE', path: this.uri });
  }

  /** Rename it or change its description or merge strategy (`PATCH {uri}`). */
  async update(options: UpdateTableOptions): Promise<this> {
    const { name, description, uploadMergeStrategy } = options;
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'PATCH',
      path: this.uri,
      json: defined({ name, description, uploadMergeStrategy }),
      schema: tableSchema,
    });
    this.#setProperties(properties);
    return this;
  }

  /** Update many of the table's variables at once (`PATCH {uri}/variables`). */
  async updateVariables(variables: VariableUpdate[], options?: MethodOptions): Promise<void> {
    await patchVariables(this.#ctx, this.uri, variables, options);
  }

  /** The table's variables in column order (pages of 1000). */
  async listVariables(options?: ListOptions): Promise<Variable[]> {
    const items = await listAll(this.#ctx, `${this.uri}/variables`, variableSchema, 1000, options);
    return variablesFrom(this.#ctx, this.uri, items);
  }

  /** The table's uploads (pages of 100). */
  async listUploads(options?: ListOptions): Promise<Upload[]> {
    const items = await listAll(this.#ctx, `${this.uri}/uploads`, uploadListItemSchema, 100, options);
    return items.map((p) => new this.#ctx.make.Upload(this.#ctx, this, p.name, p));
  }

  /**
   * Add raw files to this file-index table (Python's `add_files`): `files` (paths, `{ path, name }` or in-memory
   * `{ data, name }`) and/or a local `directory`, sent through temp uploads with at most `maxConcurrency` at once,
   * then registered in blocks of 1,000. Only unreleased versions accept files.
   */
  async addFiles(options: AddFilesOptions): Promise<AddedFile[]> {
    const { addFiles } = await import('./add-files.js');
    return addFiles(this.#ctx, this.uri, options);
  }

  /** A variable of the table (no request). */
  variable(name: string): Variable {
    return new this.#ctx.make.Variable(this.#ctx, this.uri, name);
  }

  /** An upload of the table, by name (no request). */
  upload(name = ''): Upload {
    return new this.#ctx.make.Upload(this.#ctx, this, name);
  }

  /**
   * Export the table and download the files (`POST {uri}/exports`, wait, then each part). Needs a file system
   * ({@link Platform.fs}); returns the local paths written. A single file is named after the table
   * (`<escaped_name>.<format>`); several parts go to a folder of that name as `000000.<format>`, `000001.<format>`…
   */
  async download(options?: TableDownloadOptions): Promise<string[]> {
    requireFs(this.#ctx.platform, 'table.download()');
    const created = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${this.uri}/exports`,
      json: { format: options?.format ?? 'csv' },
      schema: exportSchema,
    });
    // Export and the download machinery load on first use (a dynamic import), out of a read-only bundle.
    const { Export } = await import('./Export.js');
    return new Export(this.#ctx, created.id, created).downloadFiles(options);
  }

  /** The table's raw files as a directory tree (`GET {uri}/rawFiles?format=arrow`, cached with If-Modified-Since). */
  toDirectory(options?: DirectoryOptions): Promise<Directory> {
    return this.#files.toDirectory(options);
  }

  /**
   * One raw file by its path in the file index (the listing is refreshed when older than 30 s).
   *
   * @throws NotFoundError when no file has that path (as the Python client raises), including a folder's path.
   */
  file(path: string, options?: DirectoryOptions): Promise<File> {
    return this.#files.file(path, options);
  }

  /** Every raw file of the table (recursively), up to `maxResults`. */
  listFiles(options?: ListFilesOptions): Promise<File[]> {
    return this.#files.listFiles(options);
  }

  /** @deprecated Use `(await table.toDirectory()).download(...)`. Downloads every raw file (needs a file system). */
  downloadFiles(options?: DownloadFilesOptions): Promise<string[]> {
    return this.#files.downloadFiles(options);
  }

  /** @internal */
  protected readerContext(): ResourceContext {
    return this.#ctx;
  }

  /** @internal */
  protected async readerUri(): Promise<string> {
    return this.uri;
  }

  #setProperties(properties: AnyTableProperties): void {
    this.properties = properties;
    this.#resolveContainer(properties);
  }

  #resolveContainer(properties: AnyTableProperties): void {
    const kind = (properties.container as { kind?: string } | undefined)?.kind;
    if (kind === 'dataset') {
      this.#dataset ??= tableParents.datasetFrom(this.#ctx, properties.container);
      this.#workflow = undefined;
    } else if (kind === 'workflow') {
      this.#workflow ??= tableParents.workflowFrom(this.#ctx, properties.container);
      this.#dataset = undefined;
    }
  }
}
