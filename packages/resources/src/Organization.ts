import type { OrganizationProperties } from '@redivis-ts/core';
import { datasetListItemSchema, memberSchema, path, workflowSchema } from '@redivis-ts/core';
import type { ListOptions, MethodOptions, ResourceContext } from './context.js';
import { answers, callOptions, listAll } from './context.js';
import type { Dataset } from './Dataset.js';
import type { Member } from './Member.js';
import {
  datasetFromName,
  type OwnedDatasetOptions,
  type OwnedNameOptions,
  workflowFromName,
} from './owner.js';
import type { Secret } from './Secret.js';
import type { Workflow } from './Workflow.js';

/** Options of {@link Organization.listDatasets}. */
export interface ListDatasetsOptions extends ListOptions {
  /** Only datasets carrying every one of these labels (sent comma-joined). */
  labels?: string[];
}

/** Options of {@link Organization.listMembers}. */
export interface ListMembersOptions extends ListOptions {
  /** Only members carrying these labels. */
  labels?: string[];
  /** Only members in these statuses (e.g. `approved`, `pending`). */
  statuses?: string[];
}

/**
 * An organization, addressed by its account name. Lazy: building one sends nothing. The API has no organization
 * GET endpoint, so there is no `get()`; `exists()` probes its dataset list like the official clients.
 */
export class Organization {
  /** Always `'organization'`; tells owners apart without `instanceof`. */
  readonly kind = 'organization' as const;
  /** Account name (`[A-Za-z0-9_]`). */
  readonly name: string;
  /** Server properties, when this object came from a response (e.g. a dataset's `owner`). */
  properties: OrganizationProperties | undefined;
  readonly #ctx: ResourceContext;

  /** @internal use `redivis.organization(name)`. */
  constructor(ctx: ResourceContext, name: string, properties?: OrganizationProperties) {
    this.#ctx = ctx;
    this.name = name;
    this.properties = properties;
  }

  /** API path of the organization, `/organizations/{name}`. */
  get uri(): string {
    return path`/organizations/${this.name}`;
  }

  /**
   * A dataset owned by this organization. `name` is a reference relative to this owner (`'iris_species:v1_0'`, `'Iris
   * species'`); a string that cannot be a reference (`'U.S. Counties'`) is taken whole as the display name, and
   * `{ literalName: true }` takes any string so. A reference to another owner's dataset throws
   * `InvalidReferenceError` instead of being moved here.
   */
  dataset(name: string, options?: OwnedDatasetOptions): Dataset {
    return datasetFromName(this.#ctx, this, name, options);
  }

  /** A member of this organization, by user name. */
  member(name: string): Member {
    return new this.#ctx.make.Member(this.#ctx, this, name);
  }

  /** A secret stored on this organization. */
  secret(name: string): Secret {
    return new this.#ctx.make.Secret(this.#ctx, this, name);
  }

  /** A workflow owned by this organization; `name` is read as `owner.dataset(name)` reads it (see {@link OwnedNameOptions}). */
  workflow(name: string, options?: OwnedNameOptions): Workflow {
    return workflowFromName(this.#ctx, this, name, options);
  }

  /** Whether the organization exists: `GET {uri}/datasets?maxResults=1`, a 404 meaning no. */
  exists(options?: MethodOptions): Promise<boolean> {
    return answers(() =>
      this.#ctx.client.request({
        ...callOptions(options),
        path: `${this.uri}/datasets`,
        query: { maxResults: 1 },
      }),
    );
  }

  /** The organization's datasets visible to the caller. */
  async listDatasets(options?: ListDatasetsOptions): Promise<Dataset[]> {
    const labels = options?.labels?.length ? options.labels.join(',') : undefined;
    const items = await listAll(this.#ctx, `${this.uri}/datasets`, datasetListItemSchema, 100, options, {
      labels,
    });
    return items.map((p) => this.#ctx.make.Dataset.fromProperties(this.#ctx, p, this));
  }

  /** The organization's members (pages of 500, like the official client). */
  async listMembers(options?: ListMembersOptions): Promise<Member[]> {
    const query = {
      labels: options?.labels?.length ? options.labels.join(',') : undefined,
      statuses: options?.statuses?.length ? options.statuses.join(',') : undefined,
    };
    const items = await listAll(this.#ctx, `${this.uri}/members`, memberSchema, 500, options, query);
    return items.map((p) => new this.#ctx.make.Member(this.#ctx, this, p.user.name, p));
  }

  /** The organization's workflows visible to the caller. */
  async listWorkflows(options?: ListOptions): Promise<Workflow[]> {
    const items = await listAll(this.#ctx, `${this.uri}/workflows`, workflowSchema, 100, options);
    return items.map((p) => this.#ctx.make.Workflow.fromProperties(this.#ctx, p, this));
  }
}
