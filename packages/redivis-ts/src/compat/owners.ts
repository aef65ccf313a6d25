import { Dataset, type CompatDatasetOptions } from './Dataset.js';
import { Project, type CompatProjectOptions } from './Project.js';
import type { CompatListOptions } from './resource.js';
import { compatRoot } from './state.js';

/** An organization: the official client's `Organization`. */
export class Organization {
  /** The organization's account name. */
  readonly name: string;

  /** An organization by name (no request). */
  constructor(name: string) {
    if (typeof name !== 'string' || name === '') throw new TypeError('An organization name is required.');
    this.name = name;
  }

  /** The organization's datasets; each is usable for further calls (`get()`, `listTables()`, `table()` …). */
  async listDatasets(options: CompatListOptions = {}): Promise<Dataset[]> {
    const datasets = await compatRoot().organization(this.name).listDatasets(options);
    return datasets.map((d) => Dataset.adopt(d, { organization: this }));
  }

  /** A dataset of this organization (no request). */
  dataset(name: string, options: Omit<CompatDatasetOptions, 'name' | 'organization' | 'user'> = {}): Dataset {
    return new Dataset({ ...options, name, organization: this });
  }
}

/** A user: the official client's `User`. */
export class User {
  /** The user name. */
  readonly name: string;

  /** A user by name (no request). */
  constructor(name: string) {
    if (typeof name !== 'string' || name === '') throw new TypeError('A user name is required.');
    this.name = name;
  }

  /** A dataset of this user (no request). */
  dataset(name: string, options: Omit<CompatDatasetOptions, 'name' | 'organization' | 'user'> = {}): Dataset {
    return new Dataset({ ...options, name, user: this });
  }

  /** A project (workflow) of this user (no request). */
  project(name: string, options: Omit<CompatProjectOptions, 'name' | 'user'> = {}): Project {
    return new Project({ ...options, name, user: this });
  }
}
