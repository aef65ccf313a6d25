import type { DatasetProperties } from '@redivis-ts/core';
import type { Dataset as InnerDataset } from '@redivis-ts/resources';
import type { Organization, User } from './owners.js';
import { Query } from './Query.js';
import { type CompatListOptions, CompatResource, INNER, nameAndOptions } from './resource.js';
import { compatRoot } from './state.js';
import { Table, type CompatTableOptions } from './Table.js';
import { Version } from './Version.js';

/** Where a {@link Dataset} lives and which version. */
export interface CompatDatasetOptions {
  /** The dataset's name. */
  name?: string;
  /** Version tag; default `current`. */
  version?: string;
  /** The owning user. */
  user?: User;
  /** The owning organization. */
  organization?: Organization;
  /** Known server properties. */
  properties?: Partial<DatasetProperties>;
}

/** Access levels a dataset can grant the public. */
export type PublicAccessLevel = 'none' | 'overview' | 'metadata' | 'sample' | 'data';

/** A dataset of a user or organization: the official client's `Dataset`. */
export class Dataset extends CompatResource<DatasetProperties> {
  /** The dataset's name. */
  readonly name: string;
  /** The version tag this object reads (`current` unless given). */
  readonly version: string;
  /** The owning user, if any. */
  readonly user: User | undefined;
  /** The owning organization, if any. */
  readonly organization: Organization | undefined;
  /** `owner.name:version`. */
  readonly identifier: string;
  #inner: InnerDataset | undefined;

  /** A dataset of `options.organization` or `options.user` (no request). */
  constructor(nameOrOptions: string | CompatDatasetOptions, options?: CompatDatasetOptions) {
    super();
    const o = nameAndOptions(nameOrOptions, options);
    if (!o.organization && !o.user) throw new TypeError('A dataset needs an organization or a user.');
    this.name = o.name;
    this.version = o.version ?? 'current';
    this.user = o.user;
    this.organization = o.organization;
    this.identifier = `${this.ownerName}.${this.name}:${this.version}`;
    this.properties = { ...o.properties };
  }

  /** The owner's name. */
  get ownerName(): string {
    return (this.organization ?? this.user)?.name ?? '';
  }

  /** API path: the server's once fetched. */
  get uri(): string {
    return this.#inner?.uri ?? `/datasets/${encodeURIComponent(this.identifier)}`;
  }

  /** A table of this dataset (no request); `{ sample: true }` reads its sample. */
  table(name: string, options: Omit<CompatTableOptions, 'name' | 'dataset' | 'project'> = {}): Table {
    return new Table({ ...options, name, dataset: this });
  }

  /** A query whose unqualified table names resolve in this dataset. */
  query(query: string): Query {
    return new Query({ query, defaultDataset: this });
  }

  /** Whether the dataset exists; any failure but 404 is thrown. */
  exists(): Promise<boolean> {
    return this[INNER]().exists();
  }

  /** Fetch the dataset's properties. */
  async get(): Promise<this> {
    return this.#adoptProperties(await this[INNER]().get());
  }

  /** Create the dataset (public access `none` unless given). */
  async create(options: { publicAccessLevel?: PublicAccessLevel; description?: string } = {}): Promise<this> {
    const { publicAccessLevel = 'none', description } = options;
    const created = await this[INNER]().create({
      publicAccessLevel,
      ...(description !== undefined ? { description } : {}),
    });
    return this.#adoptProperties(created);
  }

  /** Change the name, public access level or description (sent as `PATCH`; the official client sends `POST`). */
  async update(
    options: { name?: string; publicAccessLevel?: PublicAccessLevel; description?: string } = {},
  ): Promise<this> {
    const changes = Object.fromEntries(
      Object.entries(options).filter(([, v]) => v !== undefined && v !== ''),
    );
    return this.#adoptProperties(await this[INNER]().update(changes));
  }

  /** Delete the dataset. */
  async delete(): Promise<void> {
    await this[INNER]().delete();
  }

  /**
   * Create the unreleased next version and return this dataset pinned to it (`version: 'next'`); the official
   * client returns the current version instead. Throws when a next version exists, unless `ignoreIfExists`.
   */
  async createNextVersion(options: { ignoreIfExists?: boolean } = {}): Promise<Dataset> {
    const next = await this[INNER]().createNextVersion({ ifNotExists: options.ignoreIfExists ?? false });
    return this.#sibling('next', next);
  }

  /** Release the next version and return the dataset at its (new) current version, fetched. */
  async release(): Promise<Dataset> {
    await this[INNER]().release();
    return new Dataset(this.name, this.#owner()).get();
  }

  /** The dataset's versions. */
  async listVersions(options: CompatListOptions = {}): Promise<Version[]> {
    const versions = await this[INNER]().listVersions(options);
    return versions.map((v) => Version.adopt(v, this));
  }

  /** The dataset's tables, each usable for further calls. */
  async listTables(options: CompatListOptions = {}): Promise<Table[]> {
    const tables = await this[INNER]().listTables(options);
    return tables.map((t) => Table.adopt(t, { dataset: this }));
  }

  /** @internal the `redivis-ts` dataset this one delegates to. */
  [INNER](): InnerDataset {
    if (!this.#inner) {
      const root = compatRoot();
      const owner = this.organization ? root.organization(this.organization.name) : root.user(this.ownerName);
      // `current` is what an unpinned reference resolves to; leaving it out keeps unreleased datasets readable.
      this.#inner = owner.dataset(this.name, this.version === 'current' ? {} : { version: this.version });
    }
    return this.#inner;
  }

  #owner(): { organization?: Organization; user?: User } {
    return this.organization ? { organization: this.organization } : this.user ? { user: this.user } : {};
  }

  #sibling(version: string, inner: InnerDataset): Dataset {
    const d = new Dataset(this.name, { ...this.#owner(), version });
    d.#inner = inner;
    return d.#adoptProperties(inner);
  }

  #adoptProperties(inner: InnerDataset): this {
    this.#inner = inner;
    this.properties = { ...inner.properties } as Partial<DatasetProperties>;
    return this;
  }

  /** @internal wrap a `redivis-ts` dataset from a list. */
  static adopt(inner: InnerDataset, owner: { organization?: Organization; user?: User }): Dataset {
    const d = new Dataset(inner.name, {
      ...owner,
      ...(inner.versionTag ? { version: inner.versionTag } : {}),
    });
    return d.#adoptProperties(inner);
  }
}
