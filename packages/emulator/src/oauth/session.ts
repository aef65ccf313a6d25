import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { EmulatorContext } from '../context.js';
import { hashToken } from '../auth/request.js';
import type { UserRow } from '../store/rows.js';
import type { ResolvedOAuthOptions } from './config.js';
import { deleteSession, findSession, insertSession } from './store.js';

/** Cookie holding the browser session id (only its hash is stored). */
export const SESSION_COOKIE = 'redivis_emulator_session';

/** A signed-in browser session. */
export interface WebSession {
  user: UserRow;
  /** Must accompany every state-changing form post of this session. */
  csrfToken: string;
}

/** A fresh random value for session ids, codes and CSRF tokens (256 bits, base64url). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Equality without leaking the position of the first difference through timing. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user signed in on this browser, or null. */
export async function currentSession(ctx: EmulatorContext, c: Context): Promise<WebSession | null> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id) return null;
  const row = await findSession(ctx, hashToken(id), ctx.now());
  if (!row) return null;
  const user = await ctx.db.one<UserRow>('SELECT * FROM users WHERE id = ?', [row.user_id]);
  return user ? { user, csrfToken: row.csrf_token } : null;
}

/** Signs `user` in on this browser: a new session row and an HttpOnly, SameSite=Lax cookie. */
export async function startSession(
  ctx: EmulatorContext,
  oauth: ResolvedOAuthOptions,
  c: Context,
  user: UserRow,
): Promise<void> {
  const id = randomSecret();
  const now = ctx.now();
  await insertSession(ctx, {
    session_hash: hashToken(id),
    user_id: user.id,
    csrf_token: randomSecret(),
    created_at: now,
    expires_at: now + oauth.sessionTtlSec * 1000,
  });
  // SameSite=Lax: the cookie rides along when another site links here (the authorize redirect) but not on
  // cross-site form posts, which together with the CSRF field protects Approve / Deny and the token page.
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: oauth.sessionTtlSec,
  });
}

/** Signs this browser out. */
export async function endSession(ctx: EmulatorContext, c: Context): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await deleteSession(ctx, hashToken(id));
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** Whether a posted form carries this session's CSRF token. */
export function csrfOk(session: WebSession, form: Record<string, unknown>): boolean {
  const sent = form.csrf_token;
  return typeof sent === 'string' && safeEqual(sent, session.csrfToken);
}

/**
 * A same-origin path to return to after signing in; anything else (absolute URLs, `//host`) falls back to `/`
 * so the login page cannot be used as an open redirect.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return '/settings/tokens';
  return next;
}

/** Redirect to the sign-in page, coming back to the current URL afterwards. */
export function redirectToLogin(c: Context): Response {
  const url = new URL(c.req.url);
  return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
}
