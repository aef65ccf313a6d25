import type { DatasetReference, VersionListItemProperties, VersionProperties } from '@redivis-ts/core';
import { normalizeVersionTag, versionSchema, versionTagToPath } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions, defined, headExists } from './context.js';
import type { Dataset } from './Dataset.js';

/** Options of {@link Version.update}; only the fields given are sent. */
export interface UpdateVersionOptions extends MethodOptions {
  /** A short label shown beside the version tag; `null` clears it. */
  label?: string | null;
  /** Release notes (markdown); `null` clears them. */
  releaseNotes?: string | null;
}

/**
 * One version of a dataset (`v1_0`, `current`, `next`). Lazy; `properties` after a fetch. `previousVersion()` and
 * `nextVersion()` read the server's links (fetching once when they are not known yet).
 */
export class Version {
  /** Server properties after `get()`, `update()` or a list call. */
  properties: VersionProperties | VersionListItemProperties | undefined;
  readonly #ctx: ResourceContext;
  readonly #dataset: Dataset;
  readonly #tag: string;

  /** @internal use `dataset.version(tag)`. */
  constructor(
    ctx: ResourceContext,
    dataset: Dataset,
    tag: string,
    properties?: VersionProperties | VersionListItemProperties,
  ) {
    this.#ctx = ctx;
    this.#dataset = dataset;
    this.#tag = normalizeVersionTag(tag);
    this.properties = properties;
  }

  /** The tag: the server's once fetched (`v1.0` style), else the normalised tag this was built with. */
  get tag(): string {
    return this.properties?.tag ?? this.#tag;
  }

  /** API path: the server's `uri` once known, else `{dataset.uri}/versions/{tag}` (`v1_0` sent as `v1.0`). */
  get uri(): string {
    return this.properties?.uri ?? `${this.#dataset.uri}/versions/${versionTagToPath(this.#tag)}`;
  }

  /**
   * The dataset pinned to this version: a new `Dataset` whose reference carries this tag (so its tables, queries
   * and `get()` read this version), not the dataset object this version was reached from.
   */
  dataset(): Dataset {
    const parent = this.#dataset;
    const referenceId = parent.properties?.referenceId ?? parent.reference.referenceId;
    const ref: DatasetReference = { ...parent.reference, version: this.#tag };
    if (referenceId !== undefined) ref.referenceId = String(referenceId);
    const owner = parent.owner;
    return new this.#ctx.make.Dataset(this.#ctx, ref, owner ? { owner } : undefined);
  }

  /** Fetch the version (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: versionSchema,
    });
    return this;
  }

  /** Whether the version exists (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /** Change the label or release notes (`PATCH {uri}`). */
  async update(options: UpdateVersionOptions): Promise<this> {
    const { label, releaseNotes } = options;
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'PATCH',
      path: this.uri,
      json: defined({ label, releaseNotes }),
      schema: versionSchema,
    });
    return this;
  }

  /** Delete the version (`DELETE {uri}`); it can be restored with {@link Version.undelete}. */
  async delete(options?: MethodOptions): Promise<void> {
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'DELETE',
      path: this.uri,
    });
    this.#adopt(properties);
  }

  /** Restore a deleted version (`POST {uri}/undelete`). */
  async undelete(options?: MethodOptions): Promise<void> {
    const properties = await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${this.uri}/undelete`,
    });
    this.#adopt(properties);
  }

  /** The version before this one, or `null` for the first. */
  previousVersion(options?: MethodOptions): Promise<Version | null> {
    return this.#linked('previousVersion', options);
  }

  /** The version after this one, or `null` for the newest. */
  nextVersion(options?: MethodOptions): Promise<Version | null> {
    return this.#linked('nextVersion', options);
  }

  async #linked(key: 'previousVersion' | 'nextVersion', options?: MethodOptions): Promise<Version | null> {
    if (!this.properties || !(key in this.properties)) await this.get(options);
    const link = this.properties?.[key] as { tag?: string } | null | undefined;
    if (!link?.tag) return null;
    return new Version(this.#ctx, this.#dataset, link.tag);
  }

  #adopt(response: unknown): void {
    const parsed = versionSchema.safeParse(response);
    if (parsed.success) this.properties = parsed.data;
  }
}
