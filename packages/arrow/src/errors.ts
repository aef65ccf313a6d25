import { NetworkError, RedivisError, type RedivisErrorInit } from '@redivis-ts/core';

/**
 * An integer did not fit in a JavaScript number without losing precision (|v| > 2^53 − 1) while rows were mapped
 * with `int64: 'number'`. Read again with `int64: 'bigint'` or `'string'` to get the exact value.
 */
export class UnsafeIntegerError extends RedivisError {
  /** The variable (column) holding the value. */
  readonly variable: string;
  /** The exact value, as a decimal string. */
  readonly value: string;
  /** @param init - What failed; `variable` and `value` name the offending cell. */
  constructor(init: Omit<RedivisErrorInit, 'description'> & { variable: string; value: string }) {
    super({
      ...init,
      description:
        `Variable "${init.variable}" holds ${init.value}, which is not a safe JavaScript integer; ` +
        `read with { int64: 'bigint' } or { int64: 'string' } to keep every digit`,
    });
    this.name = 'UnsafeIntegerError';
    this.variable = init.variable;
    this.value = init.value;
  }
}

/** `variables` named one or more variables that the table, query or upload does not have. */
export class UnknownVariableError extends RedivisError {
  /** The requested names that matched no variable (case-insensitively). */
  readonly variables: string[];
  /** @param init - `variables` lists the unknown names. */
  constructor(init: Omit<RedivisErrorInit, 'description'> & { variables: string[]; sourceUri?: string }) {
    super({
      ...init,
      description: `Unknown variable(s) ${init.variables.map((v) => JSON.stringify(v)).join(', ')}${
        init.sourceUri ? ` in ${init.sourceUri}` : ''
      }`,
    });
    this.name = 'UnknownVariableError';
    this.variables = init.variables;
  }
}

/**
 * A read stream ended without the end-of-stream sentinel (a zero-row record batch), so it was cut short on a
 * message boundary. The reader treats it like any network failure: it resumes from the rows already delivered.
 * It surfaces (as the `cause` of a {@link NetworkError}) only when every retry failed.
 */
export class StreamTruncatedError extends NetworkError {
  /** @param init - See {@link RedivisErrorInit}. */
  constructor(init: RedivisErrorInit) {
    super(init);
    this.name = 'StreamTruncatedError';
  }
}

/**
 * A read stream kept failing: every reconnect (resuming at the rows already delivered) failed too.
 * `cause` holds the last failure.
 */
export class StreamReadError extends NetworkError {
  /** The read stream's id. */
  readonly streamId: string;
  /** Rows of this stream already delivered before giving up (the offset a later read could resume from). */
  readonly offset: number;
  /** @param init - See {@link RedivisErrorInit}; `streamId` and `offset` locate the failure. */
  constructor(init: RedivisErrorInit & { streamId: string; offset: number }) {
    super(init);
    this.name = 'StreamReadError';
    this.streamId = init.streamId;
    this.offset = init.offset;
  }
}

/**
 * A stream sent a column whose Arrow type cannot be converted to the type its variable calls for, or a value
 * that does not parse as that type (for example the text `abc` in an `integer` variable).
 */
export class SchemaMismatchError extends RedivisError {
  /** The variable (column) at fault. */
  readonly variable: string;
  /** @param init - See {@link RedivisErrorInit}; `variable` names the column. */
  constructor(init: RedivisErrorInit & { variable: string }) {
    super(init);
    this.name = 'SchemaMismatchError';
    this.variable = init.variable;
  }
}
