import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { EmulatorContext } from '../context.js';
import { forbidden, insufficientScope, notFound, unauthorized } from '../http/errors.js';
import type { AppEnv } from '../http/env.js';
import { isJwtShaped, verifyAccessToken } from '../oauth/jwt.js';
import { familyRevoked } from '../oauth/refresh-families.js';
import type { UserRow } from '../store/rows.js';
import { type AccessLevel, atLeast, scopeCeiling, scopesForLevel } from './levels.js';

/** Who is calling: set on every request as `c.get('auth')`. */
export interface AuthInfo {
  /** The authenticated user; `null` for anonymous requests. */
  user: UserRow | null;
  /** The token's scopes; always contains `public`. */
  scopes: Set<string>;
  via: 'apiToken' | 'oauth' | 'anonymous';
  /** Id of the API token (via `apiToken`). */
  tokenId?: string;
  /** OAuth client id (via `oauth`, when the token was issued to a registered client). */
  clientId?: string;
}

/** SHA-256 hex of a token value: the only form in which API tokens are stored. */
export function hashToken(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Resolves an `Authorization` header to an {@link AuthInfo}; throws 401 for malformed, unknown or revoked tokens. */
export async function authenticate(ctx: EmulatorContext, header: string | undefined): Promise<AuthInfo> {
  if (header === undefined || header.trim() === '') {
    return { user: null, scopes: new Set(['public']), via: 'anonymous' };
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized('The Authorization header must be "Bearer <token>"');
  const token = match[1] as string;
  if (isJwtShaped(token)) {
    const verified = await verifyAccessToken(ctx, token);
    if (!verified) throw unauthorized('The access token is invalid or expired');
    if (verified.familyId !== undefined && (await familyRevoked(ctx.db, verified.familyId)))
      throw unauthorized('The access token has been revoked');
    const user = await ctx.db.cached.one<UserRow>('SELECT * FROM users WHERE id = ?', [verified.userId]);
    if (!user) throw unauthorized('The access token is invalid or expired');
    const info: AuthInfo = { user, scopes: new Set(['public', ...verified.scopes]), via: 'oauth' };
    if (verified.clientId !== undefined) info.clientId = verified.clientId;
    return info;
  }
  const row = await ctx.db.cached.one<UserRow & { token_id: string; scopes: string }>(
    `SELECT u.*, t.id AS token_id, t.scopes FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
    [hashToken(token)],
  );
  if (!row) throw unauthorized('The API token is invalid or has been revoked');
  const { token_id, scopes, ...user } = row;
  return {
    user,
    scopes: new Set(['public', ...scopes.split(' ').filter(Boolean)]),
    via: 'apiToken',
    tokenId: token_id,
  };
}

/** Middleware setting `c.get('auth')`. */
export function authMiddleware(ctx: EmulatorContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('auth', await authenticate(ctx, c.req.header('Authorization')));
    await next();
  };
}

/** The caller (see {@link AuthInfo}). */
export function getAuth(c: Context<AppEnv>): AuthInfo {
  return c.get('auth');
}

/** The signed-in user, or 401 for anonymous requests (every write needs credentials, spec §2.2). */
export function requireUser(c: Context<AppEnv>): UserRow {
  const { user } = c.get('auth');
  if (!user) throw unauthorized();
  return user;
}

/** 403 `insufficient_scope` unless the token holds at least one of `anyOf`. */
export function requireScope(c: Context<AppEnv>, ...anyOf: string[]): void {
  const { scopes } = c.get('auth');
  if (!anyOf.some((s) => scopes.has(s))) throw insufficientScope(anyOf);
}

/** What {@link assertAccess} needs to know about a resource. */
export interface AccessSubject {
  /** For messages, e.g. `Dataset "demo.iris_species"`. */
  label: string;
  /** Level granted to everyone. */
  publicLevel: AccessLevel;
  /** The caller's own level, ignoring token scopes (`none` when anonymous). */
  userLevel: AccessLevel;
}

/**
 * The spec §3.1 / §2.3 decision for reading (or editing) at `needed`:
 * - public at that level → allowed, any token;
 * - invisible to the caller (neither public nor user reaches `overview`) → 404, so existence does not leak;
 * - visible but the user's level is too low → 401 when anonymous (credentials would help), else 403 `forbidden`;
 * - the user has the level but the token's scopes do not reach it → 403 `insufficient_scope` naming the scopes.
 */
export function assertAccess(c: Context<AppEnv>, subject: AccessSubject, needed: AccessLevel): void {
  if (needed !== 'edit' && atLeast(subject.publicLevel, needed)) return;
  const visible = atLeast(subject.userLevel, 'overview') || atLeast(subject.publicLevel, 'overview');
  if (!visible) throw notFound(`${subject.label} not found`);
  const auth = c.get('auth');
  if (!atLeast(subject.userLevel, needed)) {
    if (!auth.user) throw unauthorized();
    throw forbidden(`Not authorized: ${needed} access to ${subject.label} is required`);
  }
  if (!atLeast(scopeCeiling(auth.scopes), needed)) throw insufficientScope(scopesForLevel(needed));
}

/** The level the token actually reaches on a resource: max(public, min(user, scope ceiling)). */
export function scopedLevel(c: Context<AppEnv>, subject: Omit<AccessSubject, 'label'>): AccessLevel {
  const ceiling = scopeCeiling(c.get('auth').scopes);
  const user = atLeast(ceiling, subject.userLevel) ? subject.userLevel : ceiling;
  return atLeast(subject.publicLevel, user) ? subject.publicLevel : user;
}
