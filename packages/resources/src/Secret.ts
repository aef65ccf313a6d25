import { encodePathSegment, secretSchema } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions } from './context.js';
import type { Owner } from './owner.js';

/** A secret stored on a user or organization (API keys for notebooks and the like). */
export class Secret {
  /** The secret's name. */
  readonly name: string;
  /** The user or organization holding it. */
  readonly owner: Owner;
  readonly #ctx: ResourceContext;

  /** @internal use `user.secret(name)` or `organization.secret(name)`. */
  constructor(ctx: ResourceContext, owner: Owner, name: string) {
    this.#ctx = ctx;
    this.owner = owner;
    this.name = name;
  }

  /** API path, `{owner.uri}/secrets/{name}`. */
  get uri(): string {
    return `${this.owner.uri}/secrets/${encodePathSegment(this.name)}`;
  }

  /** The secret's value (`GET {uri}` → `value`). It is never cached on the object. */
  async getValue(options?: MethodOptions): Promise<string> {
    const secret = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: secretSchema,
    });
    return secret.value;
  }
}
