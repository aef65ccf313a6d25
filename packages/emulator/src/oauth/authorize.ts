import { Hono } from 'hono';
import { html } from 'hono/html';
import { hashToken } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import {
  AUTHORIZE_PARAMS,
  type AuthorizeRequest,
  deliverAuthorizeResult,
  FatalAuthorizeError,
  parseAuthorizeRequest,
  RedirectableAuthorizeError,
} from './authorize-request.js';
import { OOB, OOB_AUTO, type ResolvedOAuthOptions } from './config.js';
import { csrfField, type PageUser, page } from './html.js';
import { SCOPE_DESCRIPTIONS } from './scopes-text.js';
import { csrfOk, currentSession, randomSecret, redirectToLogin, type WebSession } from './session.js';
import { insertCode } from './store.js';
import { readForm } from './params.js';

type Params = Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>;

function pick(source: Record<string, unknown>): Params {
  const out: Params = {};
  for (const key of AUTHORIZE_PARAMS) {
    const v = source[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

function errorPage(
  c: Parameters<typeof page>[0],
  user: PageUser | null,
  message: string,
  status: 400 | 403 = 400,
) {
  return page(c, {
    title: 'Authorization error',
    user,
    status,
    body: html`<h1>Authorization error</h1><p class="error" id="authorization-error">${message}</p>`,
  });
}

function consentPage(
  c: Parameters<typeof page>[0],
  session: WebSession,
  req: AuthorizeRequest,
  params: Params,
) {
  const who = req.app ? req.app.name : 'An application';
  const scopes = req.scopes.length ? req.scopes : ['public'];
  const destination =
    req.redirectUri === OOB
      ? 'The next page will show a code for you to copy into the application.'
      : req.redirectUri === OOB_AUTO
        ? 'The code will be handed to the window that opened this one.'
        : `You will be sent back to ${new URL(req.redirectUri).origin}.`;
  return page(c, {
    title: 'Authorize access',
    user: session.user,
    body: html`<h1>${who} wants to access your Redivis account</h1>
      <p>Signed in as <strong>${session.user.name}</strong>. The application asks to:</p>
      <ul id="requested-scopes">${scopes.map(
        (s) => html`<li data-scope="${s}"><code>${s}</code> — ${SCOPE_DESCRIPTIONS[s] ?? s}</li>`,
      )}</ul>
      ${req.offline && req.app?.allow_offline ? html`<p>It will keep access until you revoke it (offline access).</p>` : ''}
      <p>${destination}</p>
      <form method="post" action="/oauth/authorize">
        ${csrfField(session.csrfToken)}
        ${AUTHORIZE_PARAMS.map((k) =>
          params[k] === undefined ? '' : html`<input type="hidden" name="${k}" value="${params[k]}">`,
        )}
        <button class="primary" type="submit" name="decision" value="approve" id="approve">Approve</button>
        <button class="danger" type="submit" name="decision" value="deny" id="deny">Deny</button>
      </form>`,
  });
}

/** `GET /oauth/authorize` (consent page) and `POST /oauth/authorize` (the Approve / Deny decision). */
export function authorizeRoutes(ctx: EmulatorContext, oauth: ResolvedOAuthOptions): Hono {
  const app = new Hono();

  app.get('/oauth/authorize', async (c) => {
    const params = pick(c.req.query());
    const session = await currentSession(ctx, c);
    let req: AuthorizeRequest;
    try {
      req = await parseAuthorizeRequest(ctx, params);
    } catch (e) {
      if (e instanceof FatalAuthorizeError) return errorPage(c, session?.user ?? null, e.message);
      if (e instanceof RedirectableAuthorizeError) {
        return deliverAuthorizeResult(c, session?.user ?? null, e, {
          error: e.error,
          description: e.description,
        });
      }
      throw e;
    }
    if (!session) return redirectToLogin(c);
    return consentPage(c, session, req, params);
  });

  app.post('/oauth/authorize', async (c) => {
    const form = await readForm(c);
    const session = await currentSession(ctx, c);
    if (!session) return errorPage(c, null, 'You are not signed in; start the authorization again.', 403);
    if (!csrfOk(session, form)) {
      return errorPage(c, session.user, 'The form expired or did not come from this site; start again.', 403);
    }
    let req: AuthorizeRequest;
    try {
      req = await parseAuthorizeRequest(ctx, pick(form));
    } catch (e) {
      if (e instanceof FatalAuthorizeError) return errorPage(c, session.user, e.message);
      if (e instanceof RedirectableAuthorizeError) {
        return deliverAuthorizeResult(c, session.user, e, { error: e.error, description: e.description });
      }
      throw e;
    }
    if (form.decision !== 'approve') {
      return deliverAuthorizeResult(c, session.user, req, {
        error: 'access_denied',
        description: 'The user denied the request.',
      });
    }
    const code = randomSecret(32);
    const now = ctx.now();
    await insertCode(ctx, {
      code_hash: hashToken(code),
      client_id: req.app?.client_id ?? null,
      user_id: session.user.id,
      scopes: req.scopes.join(' '),
      redirect_uri: req.redirectUri,
      code_challenge: req.codeChallenge,
      offline: req.offline,
      created_at: now,
      expires_at: now + oauth.codeTtlSec * 1000,
    });
    return deliverAuthorizeResult(c, session.user, req, { code });
  });

  return app;
}
