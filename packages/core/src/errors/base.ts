import { ERROR_BRAND } from './brand.js';
import { redact, sanitize } from './redact.js';

/** Fields every {@link RedivisError} may carry; all optional except the description. */
export interface RedivisErrorInit {
  /** Human-readable description (the server's `error_description` / `error.message`, or ours). */
  description: string;
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** The server's error code (`error` in the OAuth-style body), e.g. `insufficient_scope`. */
  code?: string;
  /** The request id the server returned (`x-request-id`, trace headers), for support requests. */
  requestId?: string;
  /** HTTP method of the failed request. */
  method?: string;
  /** URL of the failed request (secrets removed). */
  url?: string;
  /** The underlying error, rebuilt so that it holds no request, header or token. */
  cause?: unknown;
  /** The parsed error body (secrets removed), for fields this library does not model. */
  body?: unknown;
  /**
   * Exact secret values (tokens) to strip from every text field. They are used while constructing the error and
   * never stored.
   */
  secrets?: readonly (string | undefined)[];
}

/**
 * The base class of every error `@redivis-ts/core` throws on purpose (aborts excepted, which reject with the
 * signal's reason). Use {@link isRedivisError} rather than `instanceof` when two copies of the package may be
 * loaded.
 *
 * Tokens never appear in `message`, `description`, `url`, `body`, `cause` or the JSON form: every text is redacted
 * while the error is built, and causes are rebuilt without the request or option objects they referenced.
 */
export class RedivisError extends Error {
  /** HTTP status of the response, when there was one. */
  declare readonly status?: number;
  /** The server's error code, e.g. `insufficient_scope`, `not_found`. */
  declare readonly code?: string;
  /** Human-readable description without the `[status code]` prefix of `message`. */
  readonly description: string;
  /** The request id the server returned, when present. */
  declare readonly requestId?: string;
  /** HTTP method of the failed request. */
  declare readonly method?: string;
  /** URL of the failed request, secrets removed. */
  declare readonly url?: string;
  /** The parsed error body, secrets removed. */
  declare readonly body?: unknown;
  /**
   * The brand {@link isRedivisError} checks: a `Symbol.for` key, so errors from a second copy of this package are
   * recognised too. Set on the prototype, never on the instance.
   */
  declare readonly [ERROR_BRAND]: true;

  /**
   * @param init - What is known about the failure; see {@link RedivisErrorInit}.
   */
  constructor(init: RedivisErrorInit) {
    const secrets = init.secrets ?? [];
    const description = redact(init.description, secrets);
    const prefix = [init.status, init.code].filter((v) => v !== undefined && v !== '').join(' ');
    super(prefix ? `[${prefix}] ${description}` : description);
    this.name = 'RedivisError';
    this.description = description;
    // Assign only what is present so inspect/JSON output stays short.
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = redact(init.code, secrets);
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.method !== undefined) this.method = init.method;
    if (init.url !== undefined) this.url = redact(init.url, secrets);
    if (init.body !== undefined) this.body = sanitize(init.body, secrets);
    if (init.cause !== undefined) {
      Object.defineProperty(this, 'cause', {
        value: sanitize(init.cause, secrets),
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
  }

  /** A plain, token-free representation for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) out[key] = value;
    }
    if (this.cause instanceof Error) out.cause = { name: this.cause.name, message: this.cause.message };
    return out;
  }
}
Object.defineProperty(RedivisError.prototype, ERROR_BRAND, { value: true });

/**
 * Whether `e` is a {@link RedivisError} (or subclass), including one thrown by another copy of this package.
 *
 * @param e - Anything caught.
 * @returns `true` for errors carrying the shared brand.
 */
export function isRedivisError(e: unknown): e is RedivisError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[ERROR_BRAND] === true;
}
