/**
 * Errors raised by the OAuth flows. They extend the core {@link RedivisError}, so `isRedivisError` recognises them;
 * messages carry the server's `error` code and `error_description` with every secret the flow knows (codes,
 * verifiers, tokens) redacted.
 */
import { RedivisError } from '../errors/index.js';

/** Options of an {@link OAuthError} besides its code and description. */
export interface OAuthErrorOptions {
  /** HTTP status of the failed response, when the error came from the server. */
  status?: number;
  /** The OAuth endpoint that failed, without query string. */
  url?: string;
  /** Exact values to strip from the description (used while building the error, never stored). */
  secrets?: readonly (string | undefined)[];
}

/** Why an OAuth flow or token request failed; `code` is the OAuth `error` value (or one of ours, see subclasses). */
export class OAuthError extends RedivisError {
  /** The OAuth error code, e.g. `invalid_grant`, `access_denied`, `expired_token`, `state_mismatch`. */
  declare readonly code: string;

  /**
   * @param code - The OAuth `error` code.
   * @param description - Human-readable text (the server's `error_description` when it sent one).
   * @param options - Status, URL and secrets to redact; see {@link OAuthErrorOptions}.
   */
  constructor(code: string, description: string, options: OAuthErrorOptions = {}) {
    super({ code, description, status: options.status, url: options.url, secrets: options.secrets });
    this.name = 'OAuthError';
  }
}

/** The user (or the server on their behalf) refused the authorization request (`access_denied`). */
export class OAuthAccessDeniedError extends OAuthError {
  /** @param args - See {@link OAuthError}. */
  constructor(...args: ConstructorParameters<typeof OAuthError>) {
    super(...args);
    this.name = 'OAuthAccessDeniedError';
  }
}

/**
 * The device code expired before the user approved it (`expired_token`), or the flow's own maximum wait passed
 * (code `timeout`).
 */
export class OAuthExpiredError extends OAuthError {
  /** @param args - See {@link OAuthError}. */
  constructor(...args: ConstructorParameters<typeof OAuthError>) {
    super(...args);
    this.name = 'OAuthExpiredError';
  }
}

/** The `state` returned with an authorization code did not match the one sent: the response is not ours. */
export class OAuthStateMismatchError extends OAuthError {
  /** Takes no arguments: the message is fixed and names neither state value. */
  constructor() {
    super(
      'state_mismatch',
      'The authorization response state does not match the request; ignoring the code.',
    );
    this.name = 'OAuthStateMismatchError';
  }
}

/** Builds the right {@link OAuthError} subclass for a server error code. */
export function oauthErrorFor(
  code: string,
  description: string,
  options: OAuthErrorOptions = {},
): OAuthError {
  if (code === 'access_denied') return new OAuthAccessDeniedError(code, description, options);
  if (code === 'expired_token') return new OAuthExpiredError(code, description, options);
  return new OAuthError(code, description, options);
}
