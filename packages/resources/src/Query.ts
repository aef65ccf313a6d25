import type { QueryProperties } from '@redivis-ts/core';
import { JobFailedError, path, querySchema, variableSchema, waitFor } from '@redivis-ts/core';
import type { ListOptions, MethodOptions, ResourceContext } from './context.js';
import { callOptions, listAll } from './context.js';
import type { Directory } from './Directory.js';
import type { File } from './File.js';
import type { DirectoryOptions, DownloadFilesOptions, ListFilesOptions } from './files.js';
import { FileListing } from './files.js';
import { TabularReader } from './TabularReader.js';
import type { Variable } from './Variable.js';
import { variablesFrom } from './Variable.js';

/** Options of `redivis.query(sql, options)`. */
export interface QueryOptions {
  /** Dataset (`owner.dataset[:version]`) unqualified table names resolve against. */
  defaultDataset?: string;
  /** Workflow (`owner.workflow`) unqualified table names resolve against; wins over `defaultDataset`. */
  defaultWorkflow?: string;
}

/** Options of {@link Query.waitForFinish}. */
export interface QueryWaitOptions extends MethodOptions {
  /** Give up after this long (a `WaitTimeoutError`). */
  maxWaitMs?: number;
  /** First poll delay in ms. @default 500 */
  minDelayMs?: number;
  /** Longest poll delay in ms. @default 2000, the official clients' interval */
  maxDelayMs?: number;
}

const terminal = new Set(['completed', 'failed', 'cancelled']);

/**
 * A SQL query. Lazy like the Python client: nothing is sent until the first call that needs it; then it is POSTed
 * exactly once, and every reader waits (abortably) until it completes. A failed or cancelled query rejects with
 * `JobFailedError` carrying the server's message.
 */
export class Query extends TabularReader {
  /** The SQL text. */
  readonly sql: string;
  /** Server properties once created (`id`, `status`, `outputSchema`, …). */
  properties: QueryProperties | undefined;
  readonly #ctx: ResourceContext;
  readonly #body: { query: string; defaultWorkflow?: string; defaultDataset?: string };
  #creating: Promise<QueryProperties> | undefined;
  readonly #files: FileListing;

  /** @internal use `redivis.query(sql)`, `dataset.query(sql)` or `workflow.query(sql)`. */
  constructor(ctx: ResourceContext, sql: string, options?: QueryOptions) {
    super();
    this.#ctx = ctx;
    this.sql = sql;
    const env = ctx.platform.env ?? {};
    this.#body = { query: sql };
    // One default only, workflow first, falling back to the environment (the Python client's rule).
    const workflow =
      options?.defaultWorkflow ?? (options?.defaultDataset ? undefined : env.REDIVIS_DEFAULT_WORKFLOW);
    const dataset = workflow ? undefined : (options?.defaultDataset ?? env.REDIVIS_DEFAULT_DATASET);
    if (workflow) this.#body.defaultWorkflow = workflow;
    if (dataset) this.#body.defaultDataset = dataset;
    this.#files = new FileListing(ctx, () => this.#requireUri(), { immutable: true });
  }

  /** The query id, once created. */
  get id(): string | undefined {
    return this.properties?.id === undefined ? undefined : String(this.properties.id);
  }

  /** API path (`/queries/{id}`, the server's `uri`), once created; `undefined` before. */
  get uri(): string | undefined {
    return this.properties?.uri ?? (this.id ? path`/queries/${this.id}` : undefined);
  }

  /** Create the query if needed (`POST /queries`, once), then refresh it (`GET {uri}`). Does not wait. */
  async get(options?: MethodOptions): Promise<this> {
    await this.#create(options);
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.#requireUri(),
      schema: querySchema,
    });
    return this;
  }

  /** Create the query if needed and poll until it completes; failed / cancelled → `JobFailedError`. */
  async waitForFinish(options?: QueryWaitOptions): Promise<this> {
    const created = await this.#create(options);
    if (created.status === 'completed') return this;
    const poll = (signal?: AbortSignal) =>
      this.#ctx.client.request({
        ...callOptions(options),
        ...(signal ? { signal } : {}),
        path: this.#requireUri(),
        schema: querySchema,
      });
    this.properties = await waitFor(poll, {
      isDone: (q) => terminal.has(q.status),
      isFailed: failure,
      minDelayMs: options?.minDelayMs ?? 500,
      maxDelayMs: options?.maxDelayMs ?? 2000,
      ...(options?.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
      ...(options?.signal ? { signal: options.signal } : {}),
    });
    return this;
  }

  /** One output variable, after the query has completed. */
  async variable(name: string, options?: QueryWaitOptions): Promise<Variable> {
    await this.waitForFinish(options);
    return new this.#ctx.make.Variable(this.#ctx, this.#requireUri(), name);
  }

  /** The output variables (pages of 1000), after the query has completed. */
  async listVariables(options?: ListOptions & QueryWaitOptions): Promise<Variable[]> {
    await this.waitForFinish(options);
    const uri = this.#requireUri();
    const items = await listAll(this.#ctx, `${uri}/variables`, variableSchema, 1000, options);
    return variablesFrom(this.#ctx, uri, items);
  }

  /** The result's raw files as a directory tree (query results are immutable, so it is fetched once). */
  async toDirectory(options?: DirectoryOptions & QueryWaitOptions): Promise<Directory> {
    await this.waitForFinish(options);
    return this.#files.toDirectory(options);
  }

  /**
   * One raw file of the result by path.
   *
   * @throws NotFoundError when no file has that path (as the Python client raises), including a folder's path.
   */
  async file(filePath: string, options?: DirectoryOptions & QueryWaitOptions): Promise<File> {
    await this.waitForFinish(options);
    return this.#files.file(filePath, options);
  }

  /** Every raw file referenced by the result, up to `maxResults`. */
  async listFiles(options?: ListFilesOptions & QueryWaitOptions): Promise<File[]> {
    await this.waitForFinish(options);
    return this.#files.listFiles(options);
  }

  /** @deprecated Use `(await query.toDirectory()).download(...)`. */
  async downloadFiles(options?: DownloadFilesOptions & QueryWaitOptions): Promise<string[]> {
    await this.waitForFinish(options);
    return this.#files.downloadFiles(options);
  }

  /** @internal */
  protected readerContext(): ResourceContext {
    return this.#ctx;
  }

  /** @internal readers wait for completion first. */
  protected async readerUri(signal?: AbortSignal): Promise<string> {
    await this.waitForFinish(signal ? { signal } : undefined);
    return this.#requireUri();
  }

  /** POST once; a failed POST (or an abort) clears the memo so a later call can try again. */
  #create(options?: MethodOptions): Promise<QueryProperties> {
    if (this.properties) return Promise.resolve(this.properties);
    this.#creating ??= this.#ctx.client
      .request({
        ...callOptions(options),
        method: 'POST',
        path: '/queries',
        json: this.#body,
        schema: querySchema,
      })
      .then(
        (properties) => {
          this.properties = properties;
          const failed = failure(properties);
          if (failed) throw failed;
          return properties;
        },
        (error: unknown) => {
          this.#creating = undefined;
          throw error;
        },
      );
    return this.#creating;
  }

  #requireUri(): string {
    const uri = this.uri;
    if (!uri) throw new Error('query has not been created yet');
    return uri;
  }
}

/** The error a failed or cancelled query rejects with; `undefined` for any other status. */
function failure(q: QueryProperties): JobFailedError | undefined {
  if (q.status !== 'failed' && q.status !== 'cancelled') return undefined;
  const message = q.status === 'failed' ? (q.errorMessage ?? 'Query failed') : 'Query was cancelled';
  return new JobFailedError({ description: message, kind: 'query', jobStatus: q.status });
}
