import type { DatasetListItemProperties, DatasetProperties, DatasetReference } from '@redivis-ts/core';
import {
  datasetSchema,
  formatDatasetReference,
  normalizeVersionTag,
  parseDatasetReference,
  path,
  tableListItemSchema,
  versionListItemSchema,
  versionSchema,
} from '@redivis-ts/core';
import type { ListOptions, MethodOptions, ResourceContext } from './context.js';
import { callOptions, changeLabels, defined, headExists, listAll } from './context.js';
import type { Owner } from './owner.js';
import { ownerFromProperties, parseWithDefaultOwner } from './owner.js';
import { ResourceUsageError } from './platform.js';
import type { Query } from './Query.js';
import type { Table } from './Table.js';
import type { VariableUpdate } from './Variable.js';
import { patchVariables } from './Variable.js';
import type { Version } from './Version.js';

/** Options of {@link Dataset.create}. */
export interface CreateDatasetOptions extends MethodOptions {
  /** @default 'none' */
  publicAccessLevel?: 'none' | 'overview' | 'metadata' | 'sample' | 'data';
  /** Short description (≤ 256 characters). */
  description?: string | null;
}

/** Options of {@link Dataset.update}; only the fields given are sent. */
export interface UpdateDatasetOptions extends MethodOptions {
  /** A new name (the reference changes with it; the persistent `referenceId` does not). */
  name?: string;
  /** What anyone, signed in or not, may see: from nothing up to the data itself. */
  publicAccessLevel?: 'none' | 'overview' | 'metadata' | 'sample' | 'data';
  /** The dataset's abstract (markdown); `null` clears it. */
  description?: string | null;
  /** Replaces the whole label set (see {@link Dataset.addLabels} to add a few). */
  labels?: string[];
}

/**
 * A dataset, addressed by `owner.name[:referenceId][:version]`. Lazy: building one sends nothing; after any fetch
 * `properties` holds the server's representation and its `uri` / references win over the locally built ones.
 */
export class Dataset {
  /** Server properties after `get()`, `create()`, `update()` or a list call. */
  properties: DatasetProperties | DatasetListItemProperties | undefined;
  readonly #ctx: ResourceContext;
  #ref: DatasetReference;
  #owner: Owner | undefined;
  /** Set by release/unrelease until the following GET replaces the properties. */
  #uriOverride: string | undefined;

  /** @internal use `redivis.dataset(ref)` or `owner.dataset(name)`. */
  constructor(
    ctx: ResourceContext,
    ref: DatasetReference,
    init?: { owner?: Owner; properties?: DatasetProperties | DatasetListItemProperties },
  ) {
    this.#ctx = ctx;
    this.#ref = { ...ref, ...(ref.version ? { version: normalizeVersionTag(ref.version) } : {}) };
    this.#owner = init?.owner;
    this.properties = init?.properties;
  }

  /** @internal a dataset from a list/response representation. */
  static fromProperties(
    ctx: ResourceContext,
    properties: DatasetProperties | DatasetListItemProperties,
    owner?: Owner,
  ): Dataset {
    const resolved = owner ?? ownerFromProperties(ctx, properties.owner);
    const ref: DatasetReference = {
      owner: resolved?.name ?? String(properties.qualifiedReference).split('.')[0] ?? '',
      name: properties.name,
      ...(properties.referenceId !== undefined ? { referenceId: String(properties.referenceId) } : {}),
    };
    return new Dataset(ctx, ref, { ...(resolved ? { owner: resolved } : {}), properties });
  }

  /**
   * @internal a dataset from a reference string; a bare name takes its owner from `REDIVIS_DEFAULT_USER`, then
   * `REDIVIS_DEFAULT_ORGANIZATION` in the platform's env.
   */
  static fromReference(ctx: ResourceContext, reference: string, options?: { version?: string }): Dataset {
    const { ref, owner } = parseWithDefaultOwner(ctx, reference, parseDatasetReference);
    if (options?.version !== undefined) ref.version = options.version;
    return new Dataset(ctx, ref, owner ? { owner } : undefined);
  }

  /** Display name (the server's once fetched). */
  get name(): string {
    return this.properties?.name ?? this.#ref.name;
  }

  /** The parsed reference this object was built from. */
  get reference(): Readonly<DatasetReference> {
    return this.#ref;
  }

  /** Version tag pinned by the reference (`v1_0`, `current`, `next`), if any. */
  get versionTag(): string | undefined {
    return this.properties?.version?.tag ?? this.#ref.version;
  }

  /** `owner.name[:referenceId][:version]`: the server's value once fetched. */
  get qualifiedReference(): string {
    return this.properties?.qualifiedReference ?? formatDatasetReference(this.#ref);
  }

  /** The reference without its owner. */
  get scopedReference(): string {
    return this.properties?.scopedReference ?? this.qualifiedReference.slice(this.#ref.owner.length + 1);
  }

  /** API path: the server-returned `uri` once known, else `/datasets/{qualifiedReference}`. */
  get uri(): string {
    return this.#uriOverride ?? this.properties?.uri ?? path`/datasets/${formatDatasetReference(this.#ref)}`;
  }

  /** The owner, once known (given at construction or read from `properties.owner`). */
  get owner(): Owner | undefined {
    return this.#owner ?? ownerFromProperties(this.#ctx, this.properties?.owner);
  }

  /** Fetch the dataset (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: datasetSchema,
    });
    this.#setProperties(properties);
    return this;
  }

  /** Whether the dataset exists and is visible (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /**
   * Create the dataset under its owner. When the owner kind is unknown (built from `'owner.name'`), the owner is an
   * organization if `GET /organizations/{owner}/datasets` answers, else a user — the official clients' rule.
   */
  async create(options?: CreateDatasetOptions): Promise<this> {
    const owner = await this.#resolveOwner(options);
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${owner.uri}/datasets`,
      json: {
        name: this.#ref.name,
        publicAccessLevel: options?.publicAccessLevel ?? 'none',
        description: options?.description ?? null,
      },
      schema: datasetSchema,
    });
    this.#setProperties(properties);
    return this;
  }

  /** Delete the dataset (`DELETE {uri}`). */
  async delete(options?: MethodOptions): Promise<void> {
    await this.#ctx.client.request({ ...callOptions(options), method: 'DELETE', path: this.uri });
  }

  /** Change name, access level, description or labels (`PATCH {uri}`); only the given fields are sent. */
  async update(options: UpdateDatasetOptions): Promise<this> {
    const { name, publicAccessLevel, description, labels } = options;
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'PATCH',
      path: this.uri,
      json: defined({ name, publicAccessLevel, description, labels }),
      schema: datasetSchema,
    });
    this.#setProperties(properties);
    return this;
  }

  /** Add labels (lower-cased) to the dataset: `GET` then `PATCH {labels}`. */
  addLabels(labels: string[], options?: MethodOptions): Promise<this> {
    return changeLabels(this, labels, true, options);
  }

  /** Remove labels (case-insensitive) from the dataset: `GET` then `PATCH {labels}`. */
  removeLabels(labels: string[], options?: MethodOptions): Promise<this> {
    return changeLabels(this, labels, false, options);
  }

  /** Update many variables across the dataset's tables at once (`PATCH {uri}/variables`). */
  async updateVariables(variables: VariableUpdate[], options?: MethodOptions): Promise<void> {
    await patchVariables(this.#ctx, this.uri, variables, options);
  }

  /** The dataset's tables (pages of 100). */
  async listTables(options?: ListOptions): Promise<Table[]> {
    const items = await listAll(this.#ctx, `${this.uri}/tables`, tableListItemSchema, 100, options);
    return items.map((p) => this.#ctx.make.Table.inDataset(this.#ctx, this, p.name, p));
  }

  /** The dataset's versions, newest first as the server orders them (pages of 100). */
  async listVersions(options?: ListOptions): Promise<Version[]> {
    const items = await listAll(this.#ctx, `${this.uri}/versions`, versionListItemSchema, 100, options);
    return items.map((p) => new this.#ctx.make.Version(this.#ctx, this, p.tag, p));
  }

  /**
   * Create the unreleased `next` version (`POST {uri}/versions`) and return the dataset pinned to it, fetched.
   * When a next version exists already this throws {@link ResourceUsageError}, unless `ifNotExists` is set.
   */
  async createNextVersion(options?: { ifNotExists?: boolean } & MethodOptions): Promise<Dataset> {
    if (!this.properties || !('nextVersion' in this.properties)) await this.get(options);
    if (this.properties?.nextVersion == null) {
      await this.#ctx.client.request({
        ...callOptions(options),
        method: 'POST',
        path: `${this.uri}/versions`,
      });
    } else if (!options?.ifNotExists) {
      throw new ResourceUsageError(
        `Next version already exists for dataset ${this.qualifiedReference}; pass { ifNotExists: true } to reuse it.`,
      );
    }
    const next = this.#atVersion('next');
    return next.get(options);
  }

  /** Release the `next` version (`POST {uri}/versions/next/release`); this object then points at the release. */
  async release(options?: { releaseNotes?: string } & MethodOptions): Promise<this> {
    const version = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${this.uri}/versions/next/release`,
      json: defined({ releaseNotes: options?.releaseNotes }),
      schema: versionSchema,
    });
    this.#uriOverride = version.datasetUri;
    return this.get(options);
  }

  /** Unrelease the current version (`POST {uri}/versions/current/unrelease`); this object follows it. */
  async unrelease(options?: MethodOptions): Promise<this> {
    const version = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${this.uri}/versions/current/unrelease`,
      schema: versionSchema,
    });
    this.#uriOverride = version.datasetUri;
    return this.get(options);
  }

  /**
   * A version of this dataset: `tag` when given, else the version the reference pins, else `current` (what an
   * unpinned reference resolves to on the server).
   */
  version(tag?: string): Version {
    const chosen = tag ?? this.versionTag ?? 'current';
    return new this.#ctx.make.Version(this.#ctx, this, normalizeVersionTag(chosen));
  }

  /** The dataset pinned to the version before this one, or `null` for the first version. */
  async previousVersion(options?: MethodOptions): Promise<Dataset | null> {
    const previous = await this.version().previousVersion(options);
    return previous ? this.#atVersion(previous.tag) : null;
  }

  /** The dataset pinned to the version after this one, or `null` when there is none. */
  async nextVersion(options?: MethodOptions): Promise<Dataset | null> {
    const next = await this.version().nextVersion(options);
    return next ? this.#atVersion(next.tag) : null;
  }

  /** A table of this dataset (no request). */
  table(name: string): Table {
    return this.#ctx.make.Table.inDataset(this.#ctx, this, name);
  }

  /** A query whose unqualified table names resolve against this dataset. */
  query(sql: string): Query {
    return new this.#ctx.make.Query(this.#ctx, sql, { defaultDataset: this.qualifiedReference });
  }

  #atVersion(tag: string): Dataset {
    const name = this.properties?.name ?? this.#ref.name;
    const referenceId = this.properties?.referenceId ?? this.#ref.referenceId;

    const ref: DatasetReference = { owner: this.#ref.owner, name, version: tag };
    if (referenceId !== undefined) ref.referenceId = String(referenceId);
    const owner = this.owner;
    return new Dataset(this.#ctx, ref, owner ? { owner } : undefined);
  }

  async #resolveOwner(options?: MethodOptions): Promise<Owner> {
    const known = this.owner;
    if (known) return known;
    const org = new this.#ctx.make.Organization(this.#ctx, this.#ref.owner);
    this.#owner = (await org.exists(options)) ? org : new this.#ctx.make.User(this.#ctx, this.#ref.owner);
    return this.#owner;
  }

  #setProperties(properties: DatasetProperties | DatasetListItemProperties): void {
    this.properties = properties;
    this.#uriOverride = undefined;
    if (!this.#owner) this.#owner = ownerFromProperties(this.#ctx, properties.owner);
  }
}
