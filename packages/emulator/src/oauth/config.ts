/** OAuth timings of the emulator; every field has a default close to what the real service does. */
export interface OAuthOptions {
  /** Lifetime of OAuth access tokens, in seconds. @default 3600 */
  accessTokenTtlSec?: number;
  /** Lifetime of authorization codes, in seconds (they are also single-use). @default 120 */
  codeTtlSec?: number;
  /** Lifetime of device codes, in seconds (the official clients give up polling after 10 minutes). @default 600 */
  deviceCodeTtlSec?: number;
  /** Minimum seconds between device-code polls; faster polls get `slow_down`. @default 5 */
  deviceIntervalSec?: number;
  /** Lifetime of a browser sign-in session on the emulator's pages, in seconds. @default 43200 */
  sessionTtlSec?: number;
  /**
   * Rotate refresh tokens: each refresh answers a new refresh token and invalidates the one used; presenting a used
   * one again revokes its whole grant (every access and refresh token descended from it). Off by default, because
   * the official Python and R clients keep their first refresh token after a refresh. @default false
   */
  rotateRefreshTokens?: boolean;
}

/** {@link OAuthOptions} with the defaults applied. */
export type ResolvedOAuthOptions = Required<OAuthOptions>;

/** Applies the defaults to {@link OAuthOptions}; rejects negative or non-finite values. */
export function resolveOAuthOptions(options: OAuthOptions | undefined): ResolvedOAuthOptions {
  const resolved: ResolvedOAuthOptions = {
    accessTokenTtlSec: options?.accessTokenTtlSec ?? 3600,
    codeTtlSec: options?.codeTtlSec ?? 120,
    deviceCodeTtlSec: options?.deviceCodeTtlSec ?? 600,
    deviceIntervalSec: options?.deviceIntervalSec ?? 5,
    sessionTtlSec: options?.sessionTtlSec ?? 43_200,
    rotateRefreshTokens: options?.rotateRefreshTokens ?? false,
  };
  if (typeof resolved.rotateRefreshTokens !== 'boolean') {
    throw new RangeError(`oauth.rotateRefreshTokens must be a boolean, got ${resolved.rotateRefreshTokens}`);
  }
  for (const [key, value] of Object.entries(resolved)) {
    if (typeof value === 'boolean') continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`oauth.${key} must be a non-negative number of seconds, got ${value}`);
    }
  }
  return resolved;
}

/** Redirect URI that shows the code on the page for copying (Node CLI). */
export const OOB = 'urn:ietf:wg:oauth:2.0:oob';
/** Redirect URI that posts `{code, state}` to `window.opener` (browser popup). */
export const OOB_AUTO = 'urn:ietf:wg:oauth:2.0:oob:auto';
