import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { EmulatorContext } from '../context.js';
import { loadOrCreateKeyFile } from './key-file.js';

/** The part of the emulator context the JWT helpers need: the database and data dir (signing key), the clock. */
export type JwtContext = Pick<EmulatorContext, 'db' | 'now' | 'dataDir'>;

/** What {@link signAccessToken} puts into an access token. */
export interface AccessTokenClaims {
  /** The emulator user id the token acts for (JWT `sub`). */
  userId: string;
  /** The user's name (JWT `name`, informational). */
  userName: string;
  /** Granted scopes; written space-separated into the `scope` claim, which the official clients decode. */
  scopes: readonly string[];
  /** The OAuth client the token was issued to; absent for the client-id-less authorization-code flow. */
  clientId?: string;
  /** The refresh-token family of the grant (JWT `fam`): revoking the family revokes the token. */
  familyId?: string;
  /** Lifetime in seconds. */
  expiresInSec: number;
}

/** A verified access token. */
export interface VerifiedAccessToken {
  userId: string;
  scopes: string[];
  clientId?: string;
  /** The refresh-token family, when the grant has one. */
  familyId?: string;
  /** Expiry, epoch seconds. */
  expiresAt: number;
}

/** The signed token and its expiry in epoch seconds (the token endpoint reports `expires_at` in seconds). */
export interface SignedAccessToken {
  token: string;
  expiresAt: number;
}

/** Issuer written into and required from every emulator access token. */
export const JWT_ISSUER = 'redivis-emulator';
const keys = new WeakMap<object, Promise<Uint8Array>>();

/**
 * Loads the HS256 signing secret from its key file in the data directory (mode 0600), creating it on first use, so
 * a restart on the same data directory still accepts the tokens it issued. The key never lives in a database
 * table: nothing a query can name reaches it. Cached per context.
 */
export function loadSigningKey(ctx: JwtContext): Promise<Uint8Array> {
  let key = keys.get(ctx);
  if (!key) {
    key = loadOrCreateKeyFile(ctx);
    keys.set(ctx, key);
    key.catch(() => keys.delete(ctx));
  }
  return key;
}

function nowSec(ctx: JwtContext): number {
  return Math.floor(ctx.now() / 1000);
}

/** Signs an OAuth access token (HS256 JWT with `sub`, `name`, `scope`, `client_id`, `iat`, `exp`, `jti`). */
export async function signAccessToken(
  ctx: JwtContext,
  claims: AccessTokenClaims,
): Promise<SignedAccessToken> {
  const iat = nowSec(ctx);
  const expiresAt = iat + claims.expiresInSec;
  const payload: Record<string, unknown> = { name: claims.userName, scope: claims.scopes.join(' ') };
  if (claims.clientId !== undefined) payload.client_id = claims.clientId;
  if (claims.familyId !== undefined) payload.fam = claims.familyId;
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setIssuer(JWT_ISSUER)
    .setSubject(claims.userId)
    .setIssuedAt(iat)
    .setExpirationTime(expiresAt)
    .setJti(randomUUID())
    .sign(await loadSigningKey(ctx));
  return { token, expiresAt };
}

/** True when `token` looks like a compact JWS (three base64url parts), i.e. worth handing to {@link verifyAccessToken}. */
export function isJwtShaped(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/**
 * Verifies an access token issued by {@link signAccessToken}: signature, issuer and expiry against the emulator
 * clock. Returns null for anything invalid or expired (the caller answers 401); never throws for bad input.
 */
export async function verifyAccessToken(ctx: JwtContext, token: string): Promise<VerifiedAccessToken | null> {
  if (!isJwtShaped(token)) return null;
  try {
    const { payload } = await jwtVerify(token, await loadSigningKey(ctx), {
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      currentDate: new Date(nowSec(ctx) * 1000),
    });
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.scope !== 'string' ||
      typeof payload.exp !== 'number'
    ) {
      return null;
    }
    const scopes = payload.scope.split(' ').filter(Boolean);
    const result: VerifiedAccessToken = { userId: payload.sub, scopes, expiresAt: payload.exp };
    if (typeof payload.client_id === 'string') result.clientId = payload.client_id;
    if (typeof payload.fam === 'string') result.familyId = payload.fam;
    return result;
  } catch (e) {
    if (e instanceof errors.JOSEError) return null;
    throw e;
  }
}
