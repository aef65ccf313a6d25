/**
 * Errors raised by the OAuth flows. Messages carry the server's `error` code and `error_description` (with any
 * secret the flow knows about redacted), never a token, code or verifier.
 */

/** Why an OAuth flow or token request failed; `code` is the OAuth `error` value (or one of ours, see subclasses). */
export class OAuthError extends Error {
  override name = 'OAuthError';
  /** The OAuth error code, e.g. `invalid_grant`, `access_denied`, `expired_token`, `state_mismatch`. */
  readonly code: string;
  /** Human-readable description (the server's `error_description` when it sent one). */
  readonly description: string;
  /** HTTP status of the failed response, when the error came from the server. */
  readonly status?: number;
  /** The OAuth endpoint that failed, without query string. */
  readonly url?: string;

  constructor(
    code: string,
    description: string,
    options: { status?: number; url?: string; cause?: unknown } = {},
  ) {
    super(`[${options.status !== undefined ? `${options.status} ` : ''}${code}] ${description}`, {
      cause: options.cause,
    });
    this.code = code;
    this.description = description;
    this.status = options.status;
    this.url = options.url;
  }
}

/** The user (or the server on their behalf) refused the authorization request (`access_denied`). */
export class OAuthAccessDeniedError extends OAuthError {
  override name = 'OAuthAccessDeniedError';
}

/**
 * The device code expired before the user approved it (`expired_token`), or the flow's own maximum wait passed
 * (code `timeout`).
 */
export class OAuthExpiredError extends OAuthError {
  override name = 'OAuthExpiredError';
}

/** The `state` returned with an authorization code did not match the one sent: the response is not ours. */
export class OAuthStateMismatchError extends OAuthError {
  override name = 'OAuthStateMismatchError';
  constructor() {
    super(
      'state_mismatch',
      'The authorization response state does not match the request; ignoring the code.',
    );
  }
}

/** Builds the right {@link OAuthError} subclass for a server error code. */
export function oauthErrorFor(
  code: string,
  description: string,
  options: { status?: number; url?: string } = {},
): OAuthError {
  if (code === 'access_denied') return new OAuthAccessDeniedError(code, description, options);
  if (code === 'expired_token') return new OAuthExpiredError(code, description, options);
  return new OAuthError(code, description, options);
}
