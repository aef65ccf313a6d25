import { createCommand } from '../../core/create-command.js';
import { DEFAULT_ENDPOINT, endpointOf } from '../../core/context.js';
import { AuthError } from '../../core/errors.js';
import { loginStore, storedLoginProvider } from '../../core/login.js';

export default createCommand({
  path: ['auth', 'token'],
  summary: 'print the access token in use (refreshed if it expired)',
  description:
    'Print the access token the other commands would send, on stdout and nowhere else, e.g. for curl. ' +
    'A stored login is refreshed first when it has expired.',
  examples: ['curl -H "Authorization: Bearer $(redivis auth token)" "$REDIVIS_API_ENDPOINT/users/me"'],
  async handler(_args, _options, ctx) {
    const source = await ctx.tokenSource();
    if (source.kind === 'none') throw new AuthError('Not logged in');
    let token: string | undefined = source.token;
    if (source.kind === 'stored') {
      const { oauthOriginOf, resolveBaseUrl } = await import('@redivis-ts/core');
      const store = await loginStore(ctx.io.env);
      const credentials = await store.get();
      if (!credentials) throw new AuthError('Not logged in');
      const origin = oauthOriginOf(resolveBaseUrl(endpointOf(ctx) ?? DEFAULT_ENDPOINT));
      token = await (await storedLoginProvider(store, credentials, origin)).getToken({ signal: ctx.signal });
    }
    if (!token) throw new AuthError('Not logged in');
    if (ctx.globals.json) return ctx.out.json({ token });
    ctx.out.line(token);
  },
});
