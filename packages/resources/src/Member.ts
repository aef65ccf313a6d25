import type { MemberProperties } from '@redivis-ts/core';
import { encodePathSegment, memberSchema } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions, changeLabels, defined, headExists } from './context.js';
import type { Organization } from './Organization.js';
import type { User } from './User.js';

/** Options of {@link Member.update}; only the fields given are sent. */
export interface UpdateMemberOptions extends MethodOptions {
  /** Replaces the member's labels. */
  labels?: string[];
  /** New membership status, e.g. `approved`, `rejected`. */
  status?: string;
}

/** A member of an organization, addressed by user name. Lazy; `properties` after a fetch. */
export class Member {
  /** The member's user name. */
  readonly name: string;
  /** The organization. */
  readonly organization: Organization;
  /** The member's user account (its properties are filled from the member's `user` after a fetch). */
  readonly user: User;
  /** Server properties after `get()`, `update()` or `listMembers()`. */
  properties: MemberProperties | undefined;
  readonly #ctx: ResourceContext;

  /** @internal use `organization.member(name)`. */
  constructor(ctx: ResourceContext, organization: Organization, name: string, properties?: MemberProperties) {
    this.#ctx = ctx;
    this.organization = organization;
    this.name = name;
    this.user = new ctx.make.User(ctx, name);
    this.#setProperties(properties);
  }

  /** API path: the server's `uri` once known, else `{organization.uri}/members/{name}`. */
  get uri(): string {
    return this.properties?.uri ?? `${this.organization.uri}/members/${encodePathSegment(this.name)}`;
  }

  /** Fetch the member (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    this.#setProperties(
      await this.#ctx.client.request({ ...callOptions(options), path: this.uri, schema: memberSchema }),
    );
    return this;
  }

  /** Whether the user is a member (`HEAD {uri}`). */
  exists(options?: MethodOptions): Promise<boolean> {
    return headExists(this.#ctx, this.uri, options);
  }

  /** Change labels or status (`PATCH {uri}`); returns the member (the Python client returns nothing). */
  async update(options: UpdateMemberOptions): Promise<this> {
    const { labels, status } = options;
    this.#setProperties(
      await this.#ctx.client.request({
        ...callOptions(options),
        method: 'PATCH',
        path: this.uri,
        json: defined({ labels, status }),
        schema: memberSchema,
      }),
    );
    return this;
  }

  /** Add labels (lower-cased): `GET` then `PATCH {labels}`. */
  addLabels(labels: string[], options?: MethodOptions): Promise<this> {
    return changeLabels(this, labels, true, options);
  }

  /** Remove labels (case-insensitive): `GET` then `PATCH {labels}`. */
  removeLabels(labels: string[], options?: MethodOptions): Promise<this> {
    return changeLabels(this, labels, false, options);
  }

  /** Add an administrator comment to the member (`POST {uri}/comments {text}`). */
  async addComment(text: string, options?: MethodOptions): Promise<this> {
    await this.#ctx.client.request({
      ...callOptions(options),
      method: 'POST',
      path: `${this.uri}/comments`,
      json: { text },
    });
    return this;
  }

  #setProperties(properties: MemberProperties | undefined): void {
    this.properties = properties;
    const user = properties?.user as User['properties'] | undefined;
    if (user) this.user.properties = user;
  }
}
