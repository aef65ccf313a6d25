import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An OAuth protocol error (RFC 6749 §5.2, RFC 8628 §3.5). Leaves the token and device endpoints as
 * `{error, error_description}` JSON — the shape the official clients parse — rather than the API envelope.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

/** Writes an {@link OAuthError} as JSON, with `Cache-Control: no-store` as RFC 6749 asks of token responses. */
export function oauthErrorResponse(c: Context, e: OAuthError): Response {
  c.header('Cache-Control', 'no-store');
  if (e.status === 401) c.header('WWW-Authenticate', 'Basic realm="redivis-emulator"');
  return c.json({ error: e.error, error_description: e.description, status: e.status }, e.status);
}
