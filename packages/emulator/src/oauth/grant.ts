import { ALL_SCOPES } from '../auth/levels.js';
import type { UserRow } from '../store/rows.js';
import type { EmulatorContext } from '../context.js';
import { hashToken } from '../auth/request.js';
import type { ResolvedOAuthOptions } from './config.js';
import { OAuthError } from './errors.js';
import { signAccessToken } from './jwt.js';
import { parseScopes } from './params.js';
import { randomSecret } from './session.js';
import { insertRefreshToken, type OAuthAppRow } from './store.js';

/** A successful token response (RFC 6749 §5.1 plus Redivis' `expires_at` in epoch seconds). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  expires_at: number;
  scope: string;
  refresh_token?: string;
}

/** Parses and checks requested scopes (the API-token scope list); unknown scopes → `invalid_scope`. */
export function validateScopes(scope: string | undefined): string[] {
  const scopes = parseScopes(scope);
  const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new OAuthError(400, 'invalid_scope', `Unknown scope: ${unknown.join(' ')}`);
  return scopes;
}

/** Loads the user a grant was made for; a deleted user invalidates the grant. */
export async function grantUser(ctx: EmulatorContext, userId: string): Promise<UserRow> {
  const user = await ctx.db.one<UserRow>('SELECT * FROM users WHERE id = ?', [userId]);
  if (!user) throw new OAuthError(400, 'invalid_grant', 'The user of this grant no longer exists.');
  return user;
}

/**
 * Issues an access token, plus a refresh token when the grant was for offline access by a registered
 * application that allows it. Clients without a registered id get session-only tokens, as on redivis.com.
 */
export async function issueTokens(
  ctx: EmulatorContext,
  oauth: ResolvedOAuthOptions,
  grant: {
    user: UserRow;
    scopes: readonly string[];
    app: OAuthAppRow | null;
    offline: boolean;
    withRefresh?: boolean;
    /** The refresh-token family the tokens descend from; a grant with a refresh token starts a new one. */
    family?: string;
    /** Scopes of the refresh token when they differ from the access token's (a narrowed refresh keeps the grant). */
    refreshScopes?: readonly string[];
  },
): Promise<TokenResponse> {
  const withRefresh = (grant.withRefresh ?? true) && grant.offline && grant.app?.allow_offline === true;
  const family = grant.family ?? (withRefresh ? randomSecret(16) : undefined);
  const { token, expiresAt } = await signAccessToken(ctx, {
    userId: grant.user.id,
    userName: grant.user.name,
    scopes: grant.scopes,
    ...(grant.app ? { clientId: grant.app.client_id } : {}),
    ...(family === undefined ? {} : { familyId: family }),
    expiresInSec: oauth.accessTokenTtlSec,
  });
  const response: TokenResponse = {
    access_token: token,
    token_type: 'Bearer',
    expires_in: oauth.accessTokenTtlSec,
    expires_at: expiresAt,
    scope: grant.scopes.join(' '),
  };
  if (withRefresh && grant.app) {
    const refresh = randomSecret(32);
    await insertRefreshToken(ctx, {
      token_hash: hashToken(refresh),
      client_id: grant.app.client_id,
      user_id: grant.user.id,
      scopes: (grant.refreshScopes ?? grant.scopes).join(' '),
      created_at: ctx.now(),
      family_id: family ?? null,
    });
    response.refresh_token = refresh;
  }
  return response;
}
