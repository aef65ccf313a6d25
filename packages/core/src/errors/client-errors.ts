import { RedivisError, type RedivisErrorInit } from './base.js';

/** The connection failed or dropped (DNS, refused, reset, body cut short) and retries were exhausted. */
export class NetworkError extends RedivisError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'NetworkError';
  }
}

/**
 * Nothing listens at the endpoint (`ECONNREFUSED`): the server is not running or the base URL's host or port is
 * wrong. Retried at most `retry.connectionRefusedLimit` times (default once, after a short delay), since waiting
 * rarely helps. Only Node reports a refusal as such; in browsers it is a plain {@link NetworkError}.
 */
export class ConnectionRefusedError extends NetworkError {
  /** The origin that refused, e.g. `http://127.0.0.1:3000` (no path, query or credentials). */
  declare readonly endpoint: string;
  /** @param init - See {@link RedivisErrorInit}; `endpoint` is the origin that refused the connection. */
  constructor(init: RedivisErrorInit & { endpoint: string }) {
    super(init);
    this.name = 'ConnectionRefusedError';
    this.endpoint = init.endpoint;
  }
}

/** An attempt took longer than the configured `timeout`. */
export class TimeoutError extends RedivisError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'TimeoutError';
  }
}

/** One problem found while validating a response (a subset of a zod issue). */
export interface ValidationIssue {
  /** What went wrong, e.g. `Invalid input: expected string, received number`. */
  message: string;
  /** Where, as keys from the response root. */
  path: (string | number)[];
  /** zod's issue code, e.g. `invalid_type`. */
  code?: string;
}

/** Fields of a {@link ResponseValidationError}. */
export interface ResponseValidationErrorInit extends RedivisErrorInit {
  /** Every problem found. */
  issues: ValidationIssue[];
}

/**
 * A 2xx response did not match the expected schema (or was not JSON). `path` names the first failing field,
 * e.g. `results[2].name`.
 */
export class ResponseValidationError extends RedivisError {
  /** Every problem found. */
  readonly issues: ValidationIssue[];
  /** The first failing field, formatted like `results[2].name` (empty for the root). */
  readonly path: string;
  /** @param init - See {@link ResponseValidationErrorInit}. */
  constructor(init: ResponseValidationErrorInit) {
    super(init);
    this.name = 'ResponseValidationError';
    this.issues = init.issues;
    this.path = formatPath(init.issues[0]?.path ?? []);
  }
}

/**
 * Formats a path of keys like `results[2].name`.
 *
 * @param path - Keys from the root.
 * @returns The dotted/bracketed form; `''` for the root.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** A reference string could not be parsed (thrown by the reference parsers). */
export class InvalidReferenceError extends RedivisError {
  /** The input that failed to parse. */
  declare readonly input?: string;
  /**
   * @param init - See {@link RedivisErrorInit}; `input` is the rejected reference string.
   */
  constructor(init: RedivisErrorInit & { input?: string }) {
    super(init);
    this.name = 'InvalidReferenceError';
    if (init.input !== undefined) this.input = init.input;
  }
}

/** A query, upload, export or other job reached status `failed` (or `cancelled`). */
export class JobFailedError extends RedivisError {
  /** What kind of job failed, e.g. `query`, `upload`, `export`. */
  declare readonly kind?: string;
  /** The job's final status, e.g. `failed`. */
  declare readonly jobStatus?: string;
  /**
   * @param init - See {@link RedivisErrorInit}; `description` should carry the server's error message.
   */
  constructor(init: RedivisErrorInit & { kind?: string; jobStatus?: string }) {
    super(init);
    this.name = 'JobFailedError';
    if (init.kind !== undefined) this.kind = init.kind;
    if (init.jobStatus !== undefined) this.jobStatus = init.jobStatus;
  }
}

/** {@link waitFor} gave up after `maxWaitMs` without reaching a terminal state. */
export class WaitTimeoutError extends RedivisError {
  /** How long the waiter waited, in milliseconds. */
  declare readonly waitedMs?: number;
  /** @param init - See {@link RedivisErrorInit}; `waitedMs` is the elapsed time. */
  constructor(init: RedivisErrorInit & { waitedMs?: number }) {
    super(init);
    this.name = 'WaitTimeoutError';
    if (init.waitedMs !== undefined) this.waitedMs = init.waitedMs;
  }
}
