import type { UserProperties } from '@redivis-ts/core';
import { datasetListItemSchema, path, workflowSchema } from '@redivis-ts/core';
import type { ListOptions, ResourceContext } from './context.js';
import { listAll } from './context.js';
import type { Dataset } from './Dataset.js';
import {
  datasetFromName,
  type OwnedDatasetOptions,
  type OwnedNameOptions,
  workflowFromName,
} from './owner.js';
import type { Secret } from './Secret.js';
import type { Workflow } from './Workflow.js';

/** A Redivis user, addressed by user name. Lazy: building one sends nothing (the API has no user GET). */
export class User {
  /** Always `'user'`; tells owners apart without `instanceof`. */
  readonly kind = 'user' as const;
  /** User name (`[A-Za-z0-9_]`). */
  readonly name: string;
  /** Server properties, when known (`currentUser()` fills them from `GET /users/me`). */
  properties: UserProperties | undefined;
  readonly #ctx: ResourceContext;

  /** @internal use `redivis.user(name)`. */
  constructor(ctx: ResourceContext, name: string, properties?: UserProperties) {
    this.#ctx = ctx;
    this.name = name;
    this.properties = properties;
  }

  /** API path of the user, `/users/{name}`. */
  get uri(): string {
    return path`/users/${this.name}`;
  }

  /**
   * A dataset owned by this user. `name` is a reference relative to this owner (`'iris_species:v1_0'`, `'Iris
   * species'`); a string that cannot be a reference (`'U.S. Counties'`) is taken whole as the display name, and
   * `{ literalName: true }` takes any string so. A reference to another owner's dataset throws
   * `InvalidReferenceError` instead of being moved here.
   */
  dataset(name: string, options?: OwnedDatasetOptions): Dataset {
    return datasetFromName(this.#ctx, this, name, options);
  }

  /** A workflow owned by this user; `name` is read as `owner.dataset(name)` reads it (see {@link OwnedNameOptions}). */
  workflow(name: string, options?: OwnedNameOptions): Workflow {
    return workflowFromName(this.#ctx, this, name, options);
  }

  /** @deprecated Workflows were called projects; use {@link User.workflow}. */
  project(name: string): Workflow {
    return this.workflow(name);
  }

  /** A secret stored on this user's account. */
  secret(name: string): Secret {
    return new this.#ctx.make.Secret(this.#ctx, this, name);
  }

  /** The user's datasets visible to the caller. */
  async listDatasets(options?: ListOptions): Promise<Dataset[]> {
    const items = await listAll(this.#ctx, `${this.uri}/datasets`, datasetListItemSchema, 100, options);
    return items.map((p) => this.#ctx.make.Dataset.fromProperties(this.#ctx, p, this));
  }

  /** The user's workflows visible to the caller. */
  async listWorkflows(options?: ListOptions): Promise<Workflow[]> {
    const items = await listAll(this.#ctx, `${this.uri}/workflows`, workflowSchema, 100, options);
    return items.map((p) => this.#ctx.make.Workflow.fromProperties(this.#ctx, p, this));
  }

  /** @deprecated Workflows were called projects; use {@link User.listWorkflows}. */
  listProjects(options?: ListOptions): Promise<Workflow[]> {
    return this.listWorkflows(options);
  }
}
