import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { ALL_SCOPES } from '../auth/levels.js';
import {
  type ApiTokenInfo,
  createApiToken,
  getApiToken,
  listApiTokens,
  revokeApiToken,
  updateApiToken,
} from '../auth/tokens.js';
import type { EmulatorContext } from '../context.js';
import { ApiError } from '../http/errors.js';
import { csrfField, type Fragment, page } from './html.js';
import { SCOPE_DESCRIPTIONS } from './scopes-text.js';
import { csrfOk, currentSession, redirectToLogin, type WebSession } from './session.js';
import { readForm } from './params.js';

function scopeBoxes(prefix: string, checked: readonly string[]): Fragment {
  return html`${ALL_SCOPES.map((s) =>
    s === 'public'
      ? html`<label><input type="checkbox" checked disabled> <code>public</code> (always)</label>`
      : html`<label title="${SCOPE_DESCRIPTIONS[s] ?? ''}"><input type="checkbox" name="scope" value="${s}"
          id="${prefix}-${s}" ${checked.includes(s) ? 'checked' : ''}> <code>${s}</code></label>`,
  )}`;
}

function tokenRow(session: WebSession, t: ApiTokenInfo): Fragment {
  return html`<tr data-token-name="${t.name}" data-token-id="${t.id}">
    <td><strong>${t.name}</strong></td>
    <td class="token-scopes">${t.scopes.join(' ')}</td>
    <td>${new Date(t.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC</td>
    <td>
      <details><summary>Edit</summary>
        <form method="post" action="/settings/tokens/${t.id}">
          ${csrfField(session.csrfToken)}
          <label>Name <input type="text" name="name" value="${t.name}" required></label>
          ${scopeBoxes(`edit-${t.id}`, t.scopes)}
          <button type="submit" class="primary">Save</button>
        </form>
      </details>
      <form method="post" action="/settings/tokens/${t.id}/revoke">
        ${csrfField(session.csrfToken)}
        <button type="submit" class="danger" data-revoke="${t.name}">Revoke</button>
      </form>
    </td></tr>`;
}

async function tokensPage(
  ctx: EmulatorContext,
  c: Context,
  session: WebSession,
  notice?: { created?: { name: string; value: string }; error?: string },
) {
  const tokens = await listApiTokens(ctx, { userName: session.user.name });
  return page(c, {
    title: 'API tokens',
    user: session.user,
    status: notice?.error ? 400 : 200,
    body: html`<h1>API tokens</h1>
      ${notice?.error ? html`<p class="error" role="alert" id="settings-error">${notice.error}</p>` : ''}
      ${
        notice?.created
          ? html`<div class="notice"><p>Token <strong>${notice.created.name}</strong> created. Copy it now: it will
              not be shown again.</p><code class="code" id="new-token-value">${notice.created.value}</code></div>`
          : ''
      }
      ${
        tokens.length
          ? html`<table id="tokens"><thead><tr><th>Name</th><th>Scopes</th><th>Created</th><th></th></tr></thead>
              <tbody>${tokens.map((t) => tokenRow(session, t))}</tbody></table>`
          : html`<p id="no-tokens">You have no API tokens.</p>`
      }
      <h2>Create a token</h2>
      <form method="post" action="/settings/tokens" id="create-token">
        ${csrfField(session.csrfToken)}
        <label>Name <input type="text" name="name" id="new-token-name" required></label>
        ${scopeBoxes('new', [])}
        <p><button type="submit" class="primary" id="create-token-button">Create token</button></p>
      </form>`,
  });
}

function formScopes(form: Record<string, string | File | (string | File)[]>): string[] {
  const raw = form['scope[]'] ?? form.scope;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return ['public', ...list.filter((s): s is string => typeof s === 'string')];
}

/** The workspace-settings page `/settings/tokens`: list, create (value shown once), edit and revoke API tokens. */
export function settingsRoutes(ctx: EmulatorContext): Hono {
  const app = new Hono();
  // A new token's value waits here (in memory only, keyed by session) for the one page view after the
  // post-redirect-get, so reloading neither shows it again nor re-submits the creation.
  const created = new Map<string, { name: string; value: string }>();

  // Runs a form action for the signed-in user; store errors (bad name, unknown scope) are shown on the page.
  const action =
    (
      fn: (
        c: Context,
        session: WebSession,
        form: Record<string, string | File | (string | File)[]>,
      ) => Promise<Response>,
    ) =>
    async (c: Context) => {
      const session = await currentSession(ctx, c);
      if (!session) return redirectToLogin(c);
      const form = await readForm(c, { all: true });
      if (!csrfOk(session, form))
        return tokensPage(ctx, c, session, { error: 'The form expired; try again.' });
      try {
        return await fn(c, session, form);
      } catch (e) {
        if (e instanceof ApiError) return tokensPage(ctx, c, session, { error: e.description });
        throw e;
      }
    };

  // Only the owner may touch a token; others get the same "not found" as for unknown ids.
  const ownToken = async (session: WebSession, id: string) => {
    const token = await getApiToken(ctx, id);
    if (token.userId !== session.user.id || token.revokedAt !== null) {
      throw new ApiError(404, 'not_found', 'That token does not exist.');
    }
    return token;
  };

  app.get('/settings/tokens', async (c) => {
    const session = await currentSession(ctx, c);
    if (!session) return redirectToLogin(c);
    const fresh = created.get(session.csrfToken);
    created.delete(session.csrfToken);
    return tokensPage(ctx, c, session, fresh ? { created: fresh } : undefined);
  });

  app.post(
    '/settings/tokens',
    action(async (c, session, form) => {
      const { token, value } = await createApiToken(ctx, {
        userName: session.user.name,
        name: typeof form.name === 'string' ? form.name : '',
        scopes: formScopes(form),
      });
      created.set(session.csrfToken, { name: token.name, value });
      return c.redirect('/settings/tokens', 303);
    }),
  );

  app.post(
    '/settings/tokens/:id',
    action(async (c, session, form) => {
      const token = await ownToken(session, c.req.param('id') as string);
      await updateApiToken(ctx, token.id, {
        name: typeof form.name === 'string' ? form.name : token.name,
        scopes: formScopes(form),
      });
      return c.redirect('/settings/tokens', 303);
    }),
  );

  app.post(
    '/settings/tokens/:id/revoke',
    action(async (c, session) => {
      const token = await ownToken(session, c.req.param('id') as string);
      await revokeApiToken(ctx, token.id);
      return c.redirect('/settings/tokens', 303);
    }),
  );

  return app;
}
