import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizationCodeFlow,
  authorizationResultFromUrl,
  memoryTokenStore,
  OAuthAccessDeniedError,
  OAuthError,
  OAuthStateMismatchError,
} from '../src/auth/index.js';
import { followRedirect, oobProvider } from './helpers/auth-flows.js';
import { startOAuthServer, type TestOAuthServer, verifyJwt } from './helpers/oauth-server.js';

let server: TestOAuthServer;
beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('authorizationCodeFlow', () => {
  it('runs the out-of-band flow with PKCE S256 and a JSON code exchange without client_id', async () => {
    const { provider, urls, store } = oobProvider(server);
    const token = await provider.getToken();
    expect(token).toBe(server.issued[0]);

    const url = new URL(urls[0]!);
    expect(`${url.origin}${url.pathname}`).toBe(`${server.origin}/oauth/authorize`);
    expect([...url.searchParams.keys()].sort()).toEqual(
      ['code_challenge', 'code_challenge_method', 'redirect_uri', 'response_type', 'scope', 'state'].sort(),
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      scope: 'data.data',
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      response_type: 'code',
      code_challenge_method: 'S256',
    });

    const exchange = server.requests.find((r) => r.path === '/oauth/token')!;
    expect(exchange.contentType).toBe('application/json');
    expect(Object.keys(exchange.body).sort()).toEqual([
      'code',
      'code_verifier',
      'grant_type',
      'redirect_uri',
    ]);
    expect(exchange.body).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
    });
    expect(verifyJwt(token!)?.scope).toBe('data.data');
    expect((await store.get())?.scope).toEqual(['data.data']);

    const me = await fetch(`${server.origin}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  });

  it('sends client_id on both legs when one is configured', async () => {
    const { provider, urls } = oobProvider(server, { clientId: 'web-client' });
    await provider.getToken();
    expect(new URL(urls[0]!).searchParams.get('client_id')).toBe('web-client');
    expect(server.requests.find((r) => r.path === '/oauth/token')!.body.client_id).toBe('web-client');
  });

  it('works with an http redirect URI and a fresh state per flow', async () => {
    const states: string[] = [];
    const provider = authorizationCodeFlow({
      oauthOrigin: server.origin,
      scope: ['data.data'],
      redirectUri: `${server.origin}/callback`,
      authorize: async (url, ctx) => {
        states.push(ctx.state);
        return followRedirect(url);
      },
    });
    await provider.getToken();
    await provider.getToken({ forceRefresh: true, amrValues: ['mfa'] });
    expect(server.issued).toHaveLength(2);
    expect(new Set(states).size).toBe(2);
    const authorizes = server.requests.filter((r) => r.path === '/oauth/authorize');
    expect(authorizes[1]!.query.amr_values).toBe('mfa');
  });

  it('rejects a state mismatch before exchanging the code', async () => {
    server.behaviour.tamperState = true;
    const provider = authorizationCodeFlow({
      oauthOrigin: server.origin,
      scope: 'data.data',
      redirectUri: `${server.origin}/callback`,
      authorize: followRedirect,
    });
    await expect(provider.getToken()).rejects.toBeInstanceOf(OAuthStateMismatchError);
    expect(server.countOf('/oauth/token')).toBe(0);
  });

  it('reports a refused authorization as OAuthAccessDeniedError', async () => {
    server.behaviour.authorizeDecision = 'deny';
    const store = memoryTokenStore();
    const provider = authorizationCodeFlow({
      oauthOrigin: server.origin,
      scope: 'data.data',
      redirectUri: `${server.origin}/callback`,
      store,
      authorize: followRedirect,
    });
    await expect(provider.getToken()).rejects.toBeInstanceOf(OAuthAccessDeniedError);
    expect(await store.get()).toBeUndefined();
    expect(() => authorizationResultFromUrl('https://app.example/cb?state=x')).toThrow(OAuthError);
  });

  it('fails with invalid_grant when the verifier does not match the challenge (checked by the server)', async () => {
    // The user's fetch is honoured; this one corrupts the PKCE verifier on the way out.
    const tampering: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      return fetch(input, {
        ...init,
        body: JSON.stringify({ ...body, code_verifier: `${body.code_verifier}x` }),
      });
    };
    const { provider } = oobProvider(server, { fetch: tampering });
    const error = (await provider.getToken().catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'invalid_grant', status: 400, url: `${server.origin}/oauth/token` });
  });

  it('keeps the code and verifier out of error messages', async () => {
    server.behaviour.echoInErrors = (body) => ` echo: ${JSON.stringify(body)}`;
    const tampering: typeof fetch = async (input, init) => {
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      return fetch(input, { ...init, body: JSON.stringify({ ...body, grant_type: 'bogus' }) });
    };
    const { provider } = oobProvider(server, { fetch: tampering });
    const error = (await provider.getToken().catch((e: unknown) => e)) as OAuthError;
    expect(error.code).toBe('unsupported_grant_type');
    const exchange = server.requests.find((r) => r.path === '/oauth/token')!;
    const text = `${error.message} ${String(error.stack)} ${JSON.stringify(error)}`;
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain(String(exchange.body.code));
    expect(text).not.toContain(String(exchange.body.code_verifier));
  });

  it('is abortable while waiting for the user', async () => {
    const controller = new AbortController();
    const provider = authorizationCodeFlow({
      oauthOrigin: server.origin,
      scope: 'data.data',
      authorize: (_url, { signal }) =>
        new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    });
    const pending = provider.getToken({ signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
