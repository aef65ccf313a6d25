import { createCommand } from '../../core/create-command.js';
import { endpointOf } from '../../core/context.js';
import { AuthError } from '../../core/errors.js';
import { loginStore } from '../../core/login.js';
import { formatTimestamp } from '../../output/format.js';

const SOURCES = { flag: '--token', env: 'REDIVIS_API_TOKEN', stored: 'stored login' } as const;

export default createCommand({
  path: ['auth', 'status'],
  summary: 'show who you are signed in as, and with which token',
  examples: ['redivis auth status', 'redivis auth status --json'],
  async handler(_args, _options, ctx) {
    const source = await ctx.tokenSource();
    if (source.kind === 'none') throw new AuthError('Not logged in');
    const redivis = await ctx.redivis();
    const me = await redivis.currentUser({ signal: ctx.signal });
    const stored = source.kind === 'stored' ? await (await loginStore(ctx.io.env)).get() : undefined;
    const { tokenScopes } = await import('@redivis-ts/core');
    const scope = stored?.scope ?? tokenScopes(source.token) ?? [];
    const status = {
      user: me.name,
      endpoint: endpointOf(ctx) ?? redivis.client.baseUrl,
      tokenSource: SOURCES[source.kind],
      scope,
      ...(stored?.expiresAt ? { expiresAt: new Date(stored.expiresAt * 1000).toISOString() } : {}),
    };
    if (ctx.globals.json) return ctx.out.json(status);
    ctx.out.fields([
      ['user', status.user],
      ['endpoint', status.endpoint],
      ['token from', status.tokenSource],
      ['scopes', scope.length ? scope.join(' ') : null],
      ['expires', stored?.expiresAt ? formatTimestamp(stored.expiresAt * 1000) : undefined],
    ]);
  },
});
