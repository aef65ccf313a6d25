import type { RedivisTransport, RequestSpec } from '@redivis-ts/core';
import { userSchema } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions } from './context.js';
import type { Dataset } from './Dataset.js';
import type { Datasource } from './Datasource.js';
import type { Notebook } from './Notebook.js';
import type { Organization } from './Organization.js';
import type { Parameter } from './Parameter.js';
import type { Platform } from './platform.js';
import { ResourceUsageError } from './platform.js';
import { resourceClasses } from './resource-classes.js';
import type { QueryOptions } from './Query.js';
import type { Query } from './Query.js';
import type { Table } from './Table.js';
import { tableFromReference } from './table-parents.js';
import type { Transform } from './Transform.js';
import type { User } from './User.js';
import type { Workflow } from './Workflow.js';
import { splitNodeReference } from './WorkflowNode.js';

/**
 * The root of the object model: constructors for every resource (none sends a request) plus `currentUser()` and
 * the raw `request()` escape hatch.
 */
export interface Redivis {
  /** The core client every object sends through. */
  readonly client: RedivisTransport;
  /** The platform features in use. */
  readonly platform: Platform;
  /** An organization by account name. */
  organization(name: string): Organization;
  /** A user by user name. */
  user(name: string): User;
  /** The authenticated user (`GET /users/me`). */
  currentUser(options?: MethodOptions): Promise<User>;
  /** A dataset: `owner.name[:referenceId][:version]` (a bare name uses `REDIVIS_DEFAULT_USER`/`_ORGANIZATION`). */
  dataset(reference: string, options?: { version?: string }): Dataset;
  /** A table: `owner.container[:version].table`, or a bare name scoped by the `REDIVIS_DEFAULT_*` variables. */
  table(reference: string): Table;
  /** A workflow: `owner.name[:referenceId]`. */
  workflow(reference: string): Workflow;
  /** The workflow named by `REDIVIS_DEFAULT_WORKFLOW`, or `null`. */
  currentWorkflow(): Workflow | null;
  /** A query (sent on first use, exactly once). */
  query(sql: string, options?: QueryOptions): Query;
  /** A notebook: `owner.workflow.notebook`, or a bare name in `REDIVIS_DEFAULT_WORKFLOW`. */
  notebook(reference: string): Notebook;
  /** The notebook named by `REDIVIS_DEFAULT_NOTEBOOK` (set inside Redivis notebooks), or `null`. */
  currentNotebook(): Notebook | null;
  /** A transform: `owner.workflow.transform`, or a bare name in `REDIVIS_DEFAULT_WORKFLOW`. */
  transform(reference: string): Transform;
  /** A workflow parameter: `owner.workflow.parameter`, or a bare name in `REDIVIS_DEFAULT_WORKFLOW`. */
  parameter(reference: string): Parameter;
  /** A workflow data source (a dataset or workflow reference), in `options.workflow` or `REDIVIS_DEFAULT_WORKFLOW`. */
  datasource(source: string | Dataset | Workflow, options?: { workflow?: Workflow | string }): Datasource;
  /**
   * One request through the standard pipeline (auth, retries, error mapping), like the Python client's
   * `make_api_request`: JSON back by default; `'text'`, `'bytes'` or `'response'` (an unread `Response`) on request.
   */
  request<T = unknown>(spec: RawRequest<T> & { as?: 'json' }): Promise<T>;
  /** The response body as text. */
  request(spec: RawRequest & { as: 'text' }): Promise<string>;
  /** The response body as bytes. */
  request(spec: RawRequest & { as: 'bytes' }): Promise<Uint8Array>;
  /** The 2xx `Response` with its body unread (errors are still mapped). */
  request(spec: RawRequest & { as: 'response' }): Promise<Response>;
}

/** A raw request for {@link Redivis.request}: core's request spec plus how to read the response. */
export type RawRequest<T = unknown> = RequestSpec<T> & {
  /** How to read the response: parsed JSON (the default), text, bytes, or the unread `Response`. */
  as?: 'json' | 'text' | 'bytes' | 'response';
};

/**
 * Build the object model on a core client. `platform` supplies what the host has beyond `fetch` (a file system
 * for downloads, `REDIVIS_DEFAULT_*` environment values, a token store).
 *
 * @example
 * ```ts
 * const redivis = createRedivis(createTransport({ apiToken }));
 * const rows = await redivis.table('demo.iris_species.iris').listRows({ maxResults: 10 });
 * ```
 */
export function createRedivis(client: RedivisTransport, platform: Platform = {}): Redivis {
  const ctx: ResourceContext = { client, platform, make: resourceClasses };
  const env = () => platform.env ?? {};
  const inWorkflow = (reference: string): [Workflow, string] => {
    const [workflow, name] = splitNodeReference(reference, env().REDIVIS_DEFAULT_WORKFLOW);
    return [ctx.make.Workflow.fromReference(ctx, workflow), name];
  };
  const redivis: Redivis = {
    client,
    platform,
    organization: (name) => new ctx.make.Organization(ctx, name),
    user: (name) => new ctx.make.User(ctx, name),
    async currentUser(options) {
      const me = await client.request({ ...callOptions(options), path: '/users/me', schema: userSchema });
      return new ctx.make.User(ctx, me.name, me);
    },
    dataset: (reference, options) => ctx.make.Dataset.fromReference(ctx, reference, options),
    table: (reference) => tableFromReference(ctx, reference),
    workflow: (reference) => ctx.make.Workflow.fromReference(ctx, reference),
    currentWorkflow() {
      const ref = env().REDIVIS_DEFAULT_WORKFLOW;
      return ref ? ctx.make.Workflow.fromReference(ctx, ref) : null;
    },
    query: (sql, options) => new ctx.make.Query(ctx, sql, options),
    notebook(reference) {
      const [workflow, name] = inWorkflow(reference);
      return workflow.notebook(name);
    },
    currentNotebook() {
      const ref = env().REDIVIS_DEFAULT_NOTEBOOK;
      return ref ? redivis.notebook(ref) : null;
    },
    transform(reference) {
      const [workflow, name] = inWorkflow(reference);
      return workflow.transform(name);
    },
    parameter(reference) {
      const [workflow, name] = inWorkflow(reference);
      return workflow.parameter(name);
    },
    datasource(source, options) {
      const given = options?.workflow ?? env().REDIVIS_DEFAULT_WORKFLOW;
      if (!given) {
        throw new ResourceUsageError(
          'A data source needs a workflow: pass { workflow } or set REDIVIS_DEFAULT_WORKFLOW.',
        );
      }
      const workflow = typeof given === 'string' ? ctx.make.Workflow.fromReference(ctx, given) : given;
      return workflow.datasource(source);
    },
    // biome-ignore lint/suspicious/noExplicitAny: the overloads above carry the precise types.
    request(spec: RawRequest): Promise<any> {
      const { as, ...rest } = spec;
      if (as === 'text') return client.requestText(rest);
      if (as === 'bytes') return client.requestBytes(rest);
      if (as === 'response') return client.requestStream(rest);
      return client.request(rest);
    },
  };
  return redivis;
}
