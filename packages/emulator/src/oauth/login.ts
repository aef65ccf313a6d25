import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import type { UserRow } from '../store/rows.js';
import type { EmulatorContext } from '../context.js';
import type { ResolvedOAuthOptions } from './config.js';
import { page } from './html.js';
import { currentSession, endSession, randomSecret, safeEqual, safeNext, startSession } from './session.js';
import { readForm } from './params.js';

// The emulator has no passwords: signing in means choosing which user to act as. The login form still carries a
// double-submit token so another site cannot silently sign a visitor in as someone else.
const LOGIN_CSRF_COOKIE = 'redivis_emulator_login_csrf';

function loginPage(
  c: Parameters<typeof page>[0],
  users: UserRow[],
  next: string,
  csrf: string,
  error?: string,
): Response | Promise<Response> {
  const userButtons = users.map(
    (
      u,
    ) => html`<li><button type="submit" name="username" value="${u.name}" data-user="${u.name}">${u.name}</button>
      ${u.full_name ? html`<span> — ${u.full_name}</span>` : ''}</li>`,
  );
  // Two forms: pressing Enter in the username field must not submit the first user button of the same form.
  const hidden = html`<input type="hidden" name="next" value="${next}">
    <input type="hidden" name="login_csrf" value="${csrf}">`;
  return page(c, {
    title: 'Sign in',
    status: error ? 400 : 200,
    body: html`<h1>Sign in to the Redivis emulator</h1>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
      ${
        users.length
          ? html`<p>Continue as:</p>
              <form method="post" action="/login" id="pick-user">${hidden}<ul>${userButtons}</ul></form><p>or</p>`
          : ''
      }
      <form method="post" action="/login" id="type-user">${hidden}
        <label>Username <input type="text" name="username" autocomplete="username" required></label>
        <p><button class="primary" type="submit">Sign in</button></p>
      </form>`,
  });
}

/** `/login` (choose a user) and `/logout`. */
export function loginRoutes(ctx: EmulatorContext, oauth: ResolvedOAuthOptions): Hono {
  const app = new Hono();
  const users = () => ctx.db.all<UserRow>('SELECT * FROM users ORDER BY name');

  app.get('/login', async (c) => {
    const next = safeNext(c.req.query('next'));
    const session = await currentSession(ctx, c);
    if (session) return c.redirect(next, 302);
    const csrf = randomSecret(16);
    setCookie(c, LOGIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'Lax', path: '/login' });
    return loginPage(c, await users(), next, csrf);
  });

  app.post('/login', async (c) => {
    const form = await readForm(c);
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    const cookie = getCookie(c, LOGIN_CSRF_COOKIE);
    const sent = typeof form.login_csrf === 'string' ? form.login_csrf : '';
    const csrf = randomSecret(16);
    setCookie(c, LOGIN_CSRF_COOKIE, csrf, { httpOnly: true, sameSite: 'Lax', path: '/login' });
    if (!cookie || !safeEqual(cookie, sent)) {
      return loginPage(c, await users(), next, csrf, 'The sign-in form expired; please try again.');
    }
    const name = typeof form.username === 'string' ? form.username.trim() : '';
    const user = name
      ? await ctx.db.one<UserRow>('SELECT * FROM users WHERE lower(name) = lower(?)', [name])
      : undefined;
    if (!user) return loginPage(c, await users(), next, csrf, `There is no user named "${name}".`);
    await startSession(ctx, oauth, c, user);
    return c.redirect(next, 302);
  });

  app.post('/logout', async (c) => {
    await endSession(ctx, c);
    return c.redirect('/login', 302);
  });

  return app;
}
