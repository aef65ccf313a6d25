import { randomInt } from 'node:crypto';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { hashToken } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { lookupClient } from './apps.js';
import type { ResolvedOAuthOptions } from './config.js';
import { OAuthError, oauthErrorResponse } from './errors.js';
import { validateScopes } from './grant.js';
import { csrfField, page } from './html.js';
import { readOAuthParams, readForm } from './params.js';
import { isS256Challenge } from './pkce.js';
import { SCOPE_DESCRIPTIONS } from './scopes-text.js';
import { csrfOk, currentSession, randomSecret, redirectToLogin, type WebSession } from './session.js';
import { type DeviceRow, decideDevice, findDeviceByUserCode, insertDevice } from './store.js';

// RFC 8628 §6.1: consonants only (no vowels → no words), no easily confused characters; 20^8 ≈ 2.6e10 codes.
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return code;
}

/** `ABCD-EFGH`, the form shown to users. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Accepts what users type: any case, with or without the dash or spaces. */
export function normalizeUserCode(input: string): string {
  return input.toUpperCase().replace(/[^A-Z]/g, '');
}

type PageCtx = Parameters<typeof page>[0];

function entryPage(c: PageCtx, session: WebSession, error?: string) {
  return page(c, {
    title: 'Connect a device',
    user: session.user,
    status: error ? 400 : 200,
    body: html`<h1>Connect a device</h1>
      ${error ? html`<p class="error" id="device-error" role="alert">${error}</p>` : ''}
      <form method="get" action="/oauth/device">
        <label>Enter the code shown by the application
          <input type="text" name="user_code" id="user-code" autocomplete="off" placeholder="XXXX-XXXX"></label>
        <p><button class="primary" type="submit" id="continue">Continue</button></p>
      </form>`,
  });
}

function confirmPage(c: PageCtx, session: WebSession, row: DeviceRow, appName: string | null) {
  const scopes = row.scopes ? row.scopes.split(' ') : ['public'];
  return page(c, {
    title: 'Connect a device',
    user: session.user,
    body: html`<h1>${appName ?? 'An application'} wants to access your Redivis account</h1>
      <p>Make sure this code matches the one the application shows:
        <code class="code" id="confirm-user-code">${formatUserCode(row.user_code)}</code></p>
      <p>Signed in as <strong>${session.user.name}</strong>. The application asks to:</p>
      <ul id="requested-scopes">${scopes.map(
        (s) => html`<li data-scope="${s}"><code>${s}</code> — ${SCOPE_DESCRIPTIONS[s] ?? s}</li>`,
      )}</ul>
      <form method="post" action="/oauth/device">
        ${csrfField(session.csrfToken)}
        <input type="hidden" name="user_code" value="${row.user_code}">
        <button class="primary" type="submit" name="decision" value="approve" id="approve">Approve</button>
        <button class="danger" type="submit" name="decision" value="deny" id="deny">Deny</button>
      </form>`,
  });
}

async function pendingDevice(ctx: EmulatorContext, input: string): Promise<DeviceRow | string> {
  const row = await findDeviceByUserCode(ctx, normalizeUserCode(input));
  if (!row) return 'That code is not valid. Check it and try again.';
  if (row.expires_at <= ctx.now()) return 'That code has expired. Start again in the application.';
  if (row.status !== 'pending') return 'That code has already been used.';
  return row;
}

/** `POST /oauth/device_authorization` and the verification page `/oauth/device`. */
export function deviceRoutes(ctx: EmulatorContext, oauth: ResolvedOAuthOptions): Hono {
  const app = new Hono();

  app.post('/oauth/device_authorization', async (c) => {
    try {
      const params = await readOAuthParams(c);
      const scopes = validateScopes(params.scope);
      const challenge = params.code_challenge;
      if (challenge !== undefined) {
        if ((params.code_challenge_method ?? 'plain') !== 'S256') {
          throw new OAuthError(400, 'invalid_request', 'code_challenge_method must be "S256".');
        }
        if (!isS256Challenge(challenge)) {
          throw new OAuthError(
            400,
            'invalid_request',
            'code_challenge must be an unpadded base64url SHA-256.',
          );
        }
      }
      const client = await lookupClient(ctx, params.client_id);
      const deviceCode = randomSecret(32);
      let userCode = newUserCode();
      while (await findDeviceByUserCode(ctx, userCode)) userCode = newUserCode();
      const now = ctx.now();
      await insertDevice(ctx, {
        device_code_hash: hashToken(deviceCode),
        user_code: userCode,
        client_id: client?.client_id ?? null,
        scopes: scopes.join(' '),
        code_challenge: challenge ?? null,
        offline: params.access_type === 'offline',
        status: 'pending',
        user_id: null,
        interval_sec: oauth.deviceIntervalSec,
        last_polled_at: null,
        created_at: now,
        expires_at: now + oauth.deviceCodeTtlSec * 1000,
      });
      // The request's own origin, so the browser lands on the host name the user already uses (cookies).
      const verificationUri = `${new URL(c.req.url).origin}/oauth/device`;
      c.header('Cache-Control', 'no-store');
      return c.json({
        device_code: deviceCode,
        user_code: formatUserCode(userCode),
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${formatUserCode(userCode)}`,
        expires_in: oauth.deviceCodeTtlSec,
        interval: oauth.deviceIntervalSec,
      });
    } catch (e) {
      if (e instanceof OAuthError) return oauthErrorResponse(c, e);
      throw e;
    }
  });

  app.get('/oauth/device', async (c) => {
    const session = await currentSession(ctx, c);
    if (!session) return redirectToLogin(c);
    const input = c.req.query('user_code');
    if (!input) return entryPage(c, session);
    const row = await pendingDevice(ctx, input);
    if (typeof row === 'string') return entryPage(c, session, row);
    const client = row.client_id ? await lookupClient(ctx, row.client_id) : null;
    return confirmPage(c, session, row, client?.name ?? null);
  });

  app.post('/oauth/device', async (c) => {
    const form = await readForm(c);
    const session = await currentSession(ctx, c);
    if (!session) return redirectToLogin(c);
    if (!csrfOk(session, form)) return entryPage(c, session, 'The form expired; enter the code again.');
    const row = await pendingDevice(ctx, typeof form.user_code === 'string' ? form.user_code : '');
    if (typeof row === 'string') return entryPage(c, session, row);
    const approved = form.decision === 'approve';
    const changed = await decideDevice(ctx, row.device_code_hash, {
      status: approved ? 'approved' : 'denied',
      userId: session.user.id,
    });
    if (!changed) return entryPage(c, session, 'That code has already been used.');
    return page(c, {
      title: approved ? 'Device connected' : 'Access denied',
      user: session.user,
      body: approved
        ? html`<h1 id="device-result" data-result="approved">Device connected</h1>
            <p>You can close this window and return to the application.</p>`
        : html`<h1 id="device-result" data-result="denied">Access denied</h1>
            <p>The application was not given access. You can close this window.</p>`,
    });
  });

  return app;
}
