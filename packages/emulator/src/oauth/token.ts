import { type Context, Hono } from 'hono';
import { hashToken } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { authenticateClient } from './apps.js';
import type { ResolvedOAuthOptions } from './config.js';
import { OAuthError, oauthErrorResponse } from './errors.js';
import { grantUser, issueTokens, type TokenResponse, validateScopes } from './grant.js';
import { readOAuthParams } from './params.js';
import { verifyPkce } from './pkce.js';
import { familyOf, findAnyRefreshToken, markRotated, revokeFamily } from './refresh-families.js';
import { consumeCode, findRefreshToken, type OAuthAppRow, revokeRefreshToken, withDevice } from './store.js';

/** The device-code grant type of RFC 8628. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const invalidGrant = (description: string) => new OAuthError(400, 'invalid_grant', description);

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (!value) throw new OAuthError(400, 'invalid_request', `Missing parameter: ${name}`);
  return value;
}

/** A grant bound to a registered client may only be redeemed by that client. */
function checkClient(boundTo: string | null, app: OAuthAppRow | null): void {
  if (boundTo !== null && app?.client_id !== boundTo) {
    throw invalidGrant('The grant was issued to another client.');
  }
}

async function authorizationCodeGrant(
  ctx: EmulatorContext,
  oauth: ResolvedOAuthOptions,
  params: Record<string, string>,
  app: OAuthAppRow | null,
): Promise<TokenResponse> {
  const code = required(params, 'code');
  const redirectUri = required(params, 'redirect_uri');
  const verifier = required(params, 'code_verifier');
  const now = ctx.now();
  // Consumed before any other check: a code gets exactly one redemption attempt (RFC 6749 §4.1.2).
  const row = await consumeCode(ctx, hashToken(code), now);
  if (!row) throw invalidGrant('The authorization code is not valid.');
  if (row.used_at !== null) throw invalidGrant('The authorization code has already been used.');
  if (row.expires_at <= now) throw invalidGrant('The authorization code has expired.');
  checkClient(row.client_id, app);
  if (row.redirect_uri !== redirectUri)
    throw invalidGrant('redirect_uri does not match the authorization request.');
  if (!verifyPkce(verifier, row.code_challenge))
    throw invalidGrant('PKCE verification failed: wrong code_verifier.');
  const user = await grantUser(ctx, row.user_id);
  return issueTokens(ctx, oauth, {
    user,
    scopes: row.scopes.split(' ').filter(Boolean),
    app,
    offline: row.offline,
  });
}

async function deviceCodeGrant(
  ctx: EmulatorContext,
  oauth: ResolvedOAuthOptions,
  params: Record<string, string>,
  app: OAuthAppRow | null,
): Promise<TokenResponse> {
  const deviceCode = required(params, 'device_code');
  const now = ctx.now();
  // The poll bookkeeping must commit even when the answer is an error, so errors are returned, not thrown,
  // inside the transaction (a throw would roll the recorded poll time back).
  const outcome = await withDevice(ctx, hashToken(deviceCode), async (row, update) => {
    if (!row) return invalidGrant('The device code is not valid.');
    if (row.client_id !== null && app?.client_id !== row.client_id) {
      return invalidGrant('The grant was issued to another client.');
    }
    if (row.status === 'consumed') return invalidGrant('The device code has already been used.');
    if (row.expires_at <= now) return new OAuthError(400, 'expired_token', 'The device code has expired.');
    if (row.last_polled_at !== null && now - row.last_polled_at < row.interval_sec * 1000) {
      // RFC 8628 §3.5: the interval grows by 5 s for this and every later request.
      await update({ last_polled_at: now, interval_sec: row.interval_sec + 5 });
      return new OAuthError(
        400,
        'slow_down',
        `Polling too fast; wait ${row.interval_sec + 5} seconds between polls.`,
      );
    }
    await update({ last_polled_at: now });
    if (row.status === 'pending') {
      return new OAuthError(400, 'authorization_pending', 'The user has not yet approved the request.');
    }
    if (row.status === 'denied') return new OAuthError(400, 'access_denied', 'The user denied the request.');
    if (row.code_challenge !== null && !verifyPkce(params.code_verifier, row.code_challenge)) {
      return invalidGrant('PKCE verification failed: wrong or missing code_verifier.');
    }
    await update({ status: 'consumed' });
    return row;
  });
  if (outcome instanceof OAuthError) throw outcome;
  const approved = outcome;
  const user = await grantUser(ctx, approved.user_id as string);
  return issueTokens(ctx, oauth, {
    user,
    scopes: approved.scopes.split(' ').filter(Boolean),
    app,
    offline: approved.offline,
  });
}

async function refreshTokenGrant(
  ctx: EmulatorContext,
  oauth: ResolvedOAuthOptions,
  params: Record<string, string>,
  app: OAuthAppRow | null,
): Promise<TokenResponse> {
  const refresh = required(params, 'refresh_token');
  const hash = hashToken(refresh);
  const row = oauth.rotateRefreshTokens
    ? await findAnyRefreshToken(ctx, hash)
    : await findRefreshToken(ctx, hash);
  if (!row) throw invalidGrant('The refresh token is not valid or has been revoked.');
  if (!app) throw invalidGrant('Refreshing requires the client_id the token was issued to.');
  checkClient(row.client_id, app);
  if (row.revoked_at !== null) throw invalidGrant('The refresh token is not valid or has been revoked.');
  const granted = row.scopes.split(' ').filter(Boolean);
  let scopes = granted;
  if (params.scope !== undefined) {
    scopes = validateScopes(params.scope);
    const extra = scopes.filter((s) => s !== 'public' && !granted.includes(s));
    if (extra.length)
      throw new OAuthError(400, 'invalid_scope', `Not granted originally: ${extra.join(' ')}`);
  }
  const user = await grantUser(ctx, row.user_id);
  const family = familyOf(row);
  if (!oauth.rotateRefreshTokens) {
    // No new refresh token: the official clients keep the one they have (they only overwrite the access token).
    return issueTokens(ctx, oauth, { user, scopes, app, offline: false, withRefresh: false, family });
  }
  // Rotation: a token is exchanged once. Seeing it again (or losing a race for it) means it leaked.
  if (row.rotated_at !== null || !(await markRotated(ctx, hash, ctx.now()))) {
    await revokeFamily(ctx, family, ctx.now());
    throw invalidGrant('The refresh token was already used; every token of its grant has been revoked.');
  }
  return issueTokens(ctx, oauth, {
    user,
    scopes,
    app,
    offline: true,
    withRefresh: true,
    family,
    refreshScopes: granted,
  });
}

async function handle<T>(c: Context, fn: () => Promise<T>): Promise<Response> {
  try {
    const body = await fn();
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    return body === undefined ? c.body(null, 200) : c.json(body as object);
  } catch (e) {
    if (e instanceof OAuthError) return oauthErrorResponse(c, e);
    throw e;
  }
}

/** `POST /oauth/token` (authorization_code, device_code, refresh_token grants) and `POST /oauth/revoke`. */
export function tokenRoutes(ctx: EmulatorContext, oauth: ResolvedOAuthOptions): Hono {
  const app = new Hono();

  app.post('/oauth/token', (c) =>
    handle(c, async () => {
      const params = await readOAuthParams(c);
      const grantType = required(params, 'grant_type');
      const client = await authenticateClient(ctx, c, params);
      switch (grantType) {
        case 'authorization_code':
          return authorizationCodeGrant(ctx, oauth, params, client);
        case DEVICE_CODE_GRANT:
          return deviceCodeGrant(ctx, oauth, params, client);
        case 'refresh_token':
          return refreshTokenGrant(ctx, oauth, params, client);
        default:
          throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
      }
    }),
  );

  // RFC 7009: revoking an unknown token is not an error, so the answer never reveals whether a token existed.
  app.post('/oauth/revoke', (c) =>
    handle(c, async () => {
      const params = await readOAuthParams(c);
      const token = required(params, 'token');
      const client = await authenticateClient(ctx, c, params);
      const row = await findRefreshToken(ctx, hashToken(token));
      if (row && client?.client_id === row.client_id)
        await revokeRefreshToken(ctx, row.token_hash, ctx.now());
      return undefined;
    }),
  );

  return app;
}
