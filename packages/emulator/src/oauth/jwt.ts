import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * The part of the emulator context the JWT helpers need. Structural on purpose so the signing key can live
 * wherever the emulator keeps its state (see {@link loadSigningKey}).
 */
export interface JwtContext {
  /** The emulator's data directory; the signing key is persisted there so tokens survive a restart. */
  readonly dataDir: string;
  /** Current time in epoch milliseconds (the emulator's clock; tests may move it). */
  now?(): number;
}

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
  /** Lifetime in seconds. */
  expiresInSec: number;
}

/** A verified access token. */
export interface VerifiedAccessToken {
  userId: string;
  scopes: string[];
  clientId?: string;
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
const KEY_FILE = 'oauth-signing-key';
const keys = new WeakMap<object, Promise<Uint8Array>>();

/**
 * Loads the HS256 signing secret, creating it on first use. The secret is a file in the data directory rather
 * than a database row because the JWT helpers must work before any store exists; a restart on the same data
 * directory therefore still accepts tokens it issued earlier.
 */
export function loadSigningKey(ctx: JwtContext): Promise<Uint8Array> {
  let key = keys.get(ctx);
  if (!key) {
    key = readOrCreateKey(ctx.dataDir);
    keys.set(ctx, key);
    key.catch(() => keys.delete(ctx));
  }
  return key;
}

async function readOrCreateKey(dataDir: string): Promise<Uint8Array> {
  const file = join(dataDir, KEY_FILE);
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const secret = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  try {
    // 'wx' so two emulators racing on one data dir keep the first key instead of overwriting it.
    await writeFile(file, secret.toString('base64url'), { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  }
}

function nowSec(ctx: JwtContext): number {
  return Math.floor((ctx.now ? ctx.now() : Date.now()) / 1000);
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
    return result;
  } catch (e) {
    if (e instanceof errors.JOSEError) return null;
    throw e;
  }
}
