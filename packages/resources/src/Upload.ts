import type { UploadListItemProperties, UploadProperties } from '@redivis-ts/core';
import { encodePathSegment, uploadSchema, variableSchema } from '@redivis-ts/core';
import type { ListOptions, MethodOptions, ResourceContext } from './context.js';
import { callOptions, headExists, listAll } from './context.js';
import type { Table } from './Table.js';
import { TabularReader } from './TabularReader.js';
import type { InsertRowsOptions, InsertRowsResult, RowInput } from '@redivis-ts/upload';
import type { UploadCreateContent, UploadCreateOptions } from './upload-write.js';
import type { Variable } from './Variable.js';
import { variablesFrom } from './Variable.js';

/**
 * An upload of a table: `create()` sends data (through `@redivis-ts/upload`), `insertRows()` streams rows into a
 * `stream` upload, and the read side (get, exists, delete, variables, the data readers). Addressed as `{table.uri}/uploads/{name}`, with every `.` of the
 * name written `_` like the official clients.
 */
export class Upload extends TabularReader {
  /** The upload's name (the server's once fetched). */
  readonly name: string;
  /** Server properties after `get()` or a list call (`status`, `errorMessage`, `numRows`, …). */
  properties: UploadProperties | UploadListItemProperties | undefined;
  readonly #ctx: ResourceContext;
  readonly #table: Table;

  /** @internal use `table.upload(name)`. */
  constructor(
    ctx: ResourceContext,
    table: Table,
    name: string,
    properties?: UploadProperties | UploadListItemProperties,
  ) {
    super();
    this.#ctx = ctx;
    this.#table = table;
    this.name = properties?.name ?? name;
    this.properties = properties;
  }

  /** The table the upload belongs to. */
  get table(): Table {
    return this.#table;
  }

  /** API path: the server's `uri` once known, else `{table.uri}/uploads/{name with . → _}`. */
  get uri(): string {
    return (
      this.properties?.uri ??
      `${this.#table.uri}/uploads/${encodePathSegment(this.name.replaceAll('.', '_'))}`
    );
  }

  /**
   * Create the upload with `content` (Python's `upload.create`): text, bytes, a Blob/File, a web stream, an async
   * iterable of chunks, an `UploadSource` (Node: `fileSource(path)`), or tabular data (an Arrow Table, record
   * batches or row objects, sent as Parquet). Small content goes as one multipart request, larger through a
   * resumable temp upload; with `waitForFinish` (default) it resolves once the server imported the data, and a
   * failed import rejects with `UploadFailedError`. Pass `undefined` with `type: 'stream'` (and a `schema`) for a
   * stream upload, or a `transferSpecification`.
   */
  async create(content: UploadCreateContent | undefined, options?: UploadCreateOptions): Promise<this> {
    // The write path (and its Parquet encoder) loads on first use: a read-only app never carries it.
    const { createUploadFor } = await import('./upload-write.js');
    this.properties = await createUploadFor(this.#ctx, this.#table.uri, this.name, content, options);
    return this;
  }

  /**
   * Stream rows into this `stream` upload (`POST {uri}/rows`), batched by `batchRows` / `batchBytes`, each batch
   * retried on transient failures; `rows` may be an async iterable fed by a long-running producer.
   */
  async insertRows(
    rows: Iterable<RowInput> | AsyncIterable<RowInput>,
    options?: InsertRowsOptions,
  ): Promise<InsertRowsResult> {
    const { insertRowsFor } = await import('./upload-write.js');
    return insertRowsFor(this.#ctx, this.uri, rows, options);
  }

  /** Fetch the upload (`GET {uri}`); returns the upload (the Python client returns nothing here). */
  async get(options?: MethodOptions): Promise<this> {
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: uploadSchema,
    });
    return this;
  }

  /** Whether the upload exists (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /** Delete the upload (`DELETE {uri}`). */
  async delete(options?: MethodOptions): Promise<void> {
    await this.#ctx.client.request({ ...callOptions(options), method: 'DELETE', path: this.uri });
  }

  /** The upload's variables (pages of 1000; at most 10,000 unless `maxResults` says otherwise). */
  async listVariables(options?: ListOptions): Promise<Variable[]> {
    const items = await listAll(this.#ctx, `${this.uri}/variables`, variableSchema, 1000, {
      ...options,
      maxResults: options?.maxResults ?? 10_000,
    });
    return variablesFrom(this.#ctx, this.uri, items);
  }

  /** A variable of the upload (no request). */
  variable(name: string): Variable {
    return new this.#ctx.make.Variable(this.#ctx, this.uri, name);
  }

  /** @internal */
  protected readerContext(): ResourceContext {
    return this.#ctx;
  }

  /** @internal */
  protected async readerUri(): Promise<string> {
    return this.uri;
  }
}
