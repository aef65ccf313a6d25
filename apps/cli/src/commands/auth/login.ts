import { createCommand } from '../../core/create-command.js';
import { DEFAULT_ENDPOINT, endpointOf } from '../../core/context.js';
import { loginStore } from '../../core/login.js';
import { withSpinner } from '../../output/progress.js';

export default createCommand({
  path: ['auth', 'login'],
  summary: 'sign in with your browser (OAuth device flow) and keep the login',
  description:
    'Sign in through the OAuth device flow: shows a URL and a code, opens your browser when it can, and waits ' +
    'until you approve. The tokens are kept in a 0600 file in your config folder (REDIVIS_CONFIG_DIR moves it) ' +
    'and refreshed by later commands.',
  options: [
    {
      flags: '--scope <scopes...>',
      description: 'scopes to ask for (default: data.edit organization.write workflow.write)',
    },
    { flags: '--no-browser', description: 'only print the URL; do not try to open a browser' },
  ],
  examples: ['redivis auth login', 'redivis auth login --scope data.data data.metadata --no-browser'],
  async handler(_args, options, ctx) {
    const [{ memoryTokenStore, oauthOriginOf, resolveBaseUrl }, { deviceLogin, DEFAULT_LOGIN_SCOPES }] =
      await Promise.all([import('@redivis-ts/core'), import('@redivis-ts/node')]);
    const baseUrl = resolveBaseUrl(endpointOf(ctx) ?? DEFAULT_ENDPOINT);
    const scope = (options.scope as string[] | undefined)?.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
    // Sign in into memory first: a failed or abandoned login leaves the previous one in place.
    const pending = memoryTokenStore();
    const provider = deviceLogin({
      oauthOrigin: oauthOriginOf(baseUrl),
      scope: scope?.length ? scope : DEFAULT_LOGIN_SCOPES,
      store: pending,
      openBrowser: options.browser !== false,
      output: {
        write: (text: string) => ctx.io.stderr.write(text.replace(/Waiting for authorization…\n$/, '')),
      },
    });
    await withSpinner(ctx.out, 'Waiting for you to approve in the browser…', () =>
      provider.getToken({ signal: ctx.signal }),
    );
    const credentials = await pending.get();
    if (!credentials) throw new Error('The sign-in finished without credentials');
    const store = await loginStore(ctx.io.env);
    await store.set(credentials);
    const { createClient } = await import('redivis-ts');
    const me = await createClient({ baseUrl, apiToken: credentials.accessToken }).currentUser({
      signal: ctx.signal,
    });
    if (ctx.globals.json) return ctx.out.json({ user: me.name, scope: credentials.scope ?? [] });
    ctx.out.success(
      `Logged in as ${me.name}${credentials.scope?.length ? ` (${credentials.scope.join(' ')})` : ''}`,
    );
  },
});
