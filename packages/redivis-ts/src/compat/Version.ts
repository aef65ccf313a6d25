import type { VersionProperties } from '@redivis-ts/core';
import type { Version as InnerVersion } from '@redivis-ts/resources';
import type { Dataset } from './Dataset.js';
import { CompatResource, INNER } from './resource.js';

/** A version's tag and dataset. */
export interface CompatVersionOptions {
  /** The version tag (`v1_0`, `current`, `next`). */
  tag?: string;
  /** The dataset it belongs to. */
  dataset?: Dataset;
  /** Known server properties. */
  properties?: Partial<VersionProperties>;
}

/** A version of a dataset: the official client's `Version`. */
export class Version extends CompatResource<VersionProperties> {
  /** The version tag. */
  readonly tag: string;
  /** The dataset it belongs to. */
  readonly dataset: Dataset;
  /** `owner.dataset:tag`. */
  readonly identifier: string;
  #inner: InnerVersion | undefined;

  /** A version of `options.dataset` (no request). */
  constructor(tagOrOptions: string | CompatVersionOptions, options: CompatVersionOptions = {}) {
    super();
    const o = typeof tagOrOptions === 'object' ? tagOrOptions : { ...options, tag: tagOrOptions };
    if (!o.tag) throw new TypeError('A version tag is required.');
    if (!o.dataset) throw new TypeError('A version needs a dataset.');
    this.tag = o.tag;
    this.dataset = o.dataset;
    this.identifier = `${o.dataset.ownerName}.${o.dataset.name}:${o.tag}`;
    this.properties = { ...o.properties };
  }

  /** API path of the version. */
  get uri(): string {
    return this.#inner?.uri ?? `/datasets/${encodeURIComponent(this.identifier)}/versions/${this.tag}`;
  }

  /** Fetch the version's properties. */
  async get(): Promise<this> {
    this.#inner ??= this.dataset[INNER]().version(this.tag);
    await this.#inner.get();
    this.properties = { ...this.#inner.properties } as Partial<VersionProperties>;
    return this;
  }

  /** @internal wrap a `redivis-ts` version. */
  static adopt(inner: InnerVersion, dataset: Dataset): Version {
    const v = new Version(inner.tag, {
      dataset,
      properties: { ...inner.properties } as Partial<VersionProperties>,
    });
    v.#inner = inner;
    return v;
  }
}
