/**
 * Reads the granted scopes out of a Redivis access token, as the official clients do: the token is a JWT whose
 * payload carries a space-separated `scope` claim. The signature is not checked; the server does that.
 */

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Decodes a JWT's payload, or returns `undefined` when the token is not a JWT. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1]));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The scopes granted to an access token (its JWT `scope` claim, space-separated), or `undefined` when the token is
 * opaque or has no such claim.
 */
export function tokenScopes(accessToken: string): string[] | undefined {
  const scope = decodeJwtPayload(accessToken)?.scope;
  if (typeof scope === 'string') return splitScope(scope);
  if (Array.isArray(scope) && scope.every((s) => typeof s === 'string')) return scope;
  return undefined;
}

/** Splits a space-separated scope string into its scopes, dropping empties. */
export function splitScope(scope: string): string[] {
  return scope.split(/\s+/).filter(Boolean);
}
