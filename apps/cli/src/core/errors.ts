import type { RedivisError } from '@redivis-ts/core';

// The brand core puts on every RedivisError (Symbol.for, so every copy agrees). Checked here instead of importing
// core's guard, which would load zod and ky on every start, `--help` and `--version` included.
const ERROR_BRAND = Symbol.for('@redivis-ts/core.RedivisError');
function isRedivisError(error: unknown): error is RedivisError {
  return typeof error === 'object' && error !== null && ERROR_BRAND in error;
}

/**
 * Exit codes of `redivis` (documented in the README). Stable: scripts branch on them.
 */
export const ExitCode = {
  ok: 0,
  /** Anything not listed below. */
  failure: 1,
  /** Bad arguments or options. */
  usage: 2,
  /** Not logged in, token rejected, or a scope or access level missing. */
  auth: 3,
  /** The dataset, table, version or file does not exist (or is not visible to you). */
  notFound: 4,
  /** The API could not be reached, or a request timed out. */
  network: 5,
  /** The API answered with a server error (5xx) or a rate limit. */
  server: 6,
  /** Interrupted by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
} as const;

/** A mistake in how the command was called: exit code 2, message and hint shown as given. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Not logged in, or the stored login can no longer be used: exit code 3, with what to do. */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly hint = 'run `redivis auth login`, pass --token, or set REDIVIS_API_TOKEN',
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** What the user sees when a command fails: one line, the exit code, and what to do next. */
export interface Failure {
  message: string;
  hint?: string;
  exitCode: number;
}

const LOGIN_HINT = 'run `redivis auth login`, pass --token, or set REDIVIS_API_TOKEN';

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'CancelledError');
}

/** Map any error a command throws to the line, hint and exit code shown to the user. */
export function describeFailure(error: unknown, aborted: boolean): Failure {
  if (aborted || isAbort(error)) return { message: 'Interrupted', exitCode: ExitCode.interrupted };
  if (error instanceof UsageError) {
    return { message: error.message, ...(error.hint ? { hint: error.hint } : {}), exitCode: ExitCode.usage };
  }
  if (error instanceof AuthError)
    return { message: error.message, hint: error.hint, exitCode: ExitCode.auth };
  if (isRedivisError(error)) {
    const name = error.name;
    const message = firstLine(error.description || error.message);
    if (name === 'UnauthorizedError') {
      return {
        message: `Not logged in or the token was rejected: ${message}`,
        hint: LOGIN_HINT,
        exitCode: 3,
      };
    }
    if (name === 'InsufficientScopeError') {
      const scope = (error as { scope?: string[] }).scope ?? [];
      const needed = scope.length ? scope.join(' ') : 'a broader scope';
      return {
        message: `The token lacks a scope this needs: ${needed}`,
        hint: `run \`redivis auth login --scope ${scope.join(' ') || '<scope>'}\`, or use a token that has it`,
        exitCode: ExitCode.auth,
      };
    }
    if (name === 'ForbiddenError') {
      return { message, hint: 'ask the owner for access, or use a token with more access', exitCode: 3 };
    }
    if (name === 'NotFoundError') {
      return { message, hint: 'check the reference (owner.dataset[:version].table)', exitCode: 4 };
    }
    if (name === 'ConnectionRefusedError') {
      return { message, hint: 'start the server (or emulator), or check --endpoint', exitCode: 5 };
    }
    if (name === 'NetworkError' || name === 'TimeoutError') {
      return { message, hint: 'check --endpoint and your connection, then retry', exitCode: 5 };
    }
    if (name === 'ServerError' || name === 'RateLimitError') {
      const id = error.requestId ? ` (request ${error.requestId})` : '';
      return { message: `${message}${id}`, hint: 'retry later', exitCode: ExitCode.server };
    }
    if (name === 'InvalidReferenceError' || name === 'BadRequestError') {
      return { message, exitCode: ExitCode.usage };
    }
    return { message, exitCode: ExitCode.failure };
  }
  if (error instanceof Error) {
    if (error.name === 'UnknownVariableError' || error.name === 'ResourceUsageError') {
      return { message: firstLine(error.message), exitCode: ExitCode.usage };
    }
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      return { message: firstLine(error.message), exitCode: ExitCode.usage };
    }
    return { message: firstLine(error.message), exitCode: ExitCode.failure };
  }
  return { message: String(error), exitCode: ExitCode.failure };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
