import { RedivisError, type RedivisErrorInit } from './base.js';

/** 400: the request was malformed or the operation is not valid for the resource. */
export class BadRequestError extends RedivisError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'BadRequestError';
  }
}

/** 401: missing, expired or malformed credentials. */
export class UnauthorizedError extends RedivisError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'UnauthorizedError';
  }
}

/** 403: the token lacks a scope or the user lacks access (or an export restriction applies). */
export class ForbiddenError extends RedivisError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'ForbiddenError';
  }
}

/** Fields of an {@link InsufficientScopeError}. */
export interface InsufficientScopeErrorInit extends RedivisErrorInit {
  /** Scopes the server asked for (its space-separated `scope` field, split). */
  scope?: string[];
  /** Authentication methods the server asked for (`amr_values`). */
  amrValues?: string[];
}

/** 403 with error code `insufficient_scope`: the token must be re-issued with more scopes. */
export class InsufficientScopeError extends ForbiddenError {
  /** Scopes the request needs, as listed by the server (may be empty). */
  readonly scope: string[];
  /** Authentication methods the server asked for, when it named any. */
  declare readonly amrValues?: string[];
  /** @param init - See {@link InsufficientScopeErrorInit}. */
  constructor(init: InsufficientScopeErrorInit) {
    super(init);
    this.name = 'InsufficientScopeError';
    this.scope = init.scope ?? [];
    if (init.amrValues !== undefined) this.amrValues = init.amrValues;
  }
}

/** 404: the resource does not exist or is not visible to the caller. */
export class NotFoundError extends RedivisError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'NotFoundError';
  }
}

/** 409: the request conflicts with the resource's state (for example the name is taken). */
export class ConflictError extends RedivisError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'ConflictError';
  }
}

/** Fields of a {@link RateLimitError}. */
export interface RateLimitErrorInit extends RedivisErrorInit {
  /** How long the server asked us to wait (its `Retry-After`), in milliseconds. */
  retryAfterMs?: number;
}

/** 429: the rate limit was exceeded (and retries were exhausted or not allowed). */
export class RateLimitError extends RedivisError {
  /** How long the server asked us to wait, in milliseconds, when it said. */
  declare readonly retryAfterMs?: number;
  /** @param init - See {@link RateLimitErrorInit}. */
  constructor(init: RateLimitErrorInit) {
    super(init);
    this.name = 'RateLimitError';
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

/** 5xx: the server failed (and retries were exhausted or not allowed). */
export class ServerError extends RedivisError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'ServerError';
  }
}
