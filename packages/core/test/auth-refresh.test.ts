import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAuthError } from '../src/auth/index.js';
import { deviceProvider } from './helpers/auth-flows.js';
import { startOAuthServer, type TestOAuthServer, verifyJwt } from './helpers/oauth-server.js';

let server: TestOAuthServer;
beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const grants = () => server.requests.filter((r) => r.path === '/oauth/token').map((r) => r.body.grant_type);

describe('token refresh', () => {
  it('refreshes with the form-encoded refresh_token grant shortly before expiry, keeping the refresh token', async () => {
    server.behaviour.tokenLifetime = 30; // inside the default 60 s refresh window
    const { provider, store } = deviceProvider(server);
    const first = await provider.getToken();
    const refreshToken = (await store.get())?.refreshToken;
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(second).toBe(server.issued[1]);
    const refresh = server.requests.at(-1)!;
    expect(refresh.contentType).toBe('application/x-www-form-urlencoded');
    expect(refresh.body).toEqual({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'test-client',
    });
    const stored = await store.get();
    expect(stored?.refreshToken).toBe(refreshToken);
    expect(stored?.expiresAt).toBe(verifyJwt(second!)?.expires_at);
    expect(server.countOf('/oauth/device_authorization')).toBe(1);
  });

  it('does not refresh a token far from expiry unless forced', async () => {
    const { provider } = deviceProvider(server);
    const first = await provider.getToken();
    expect(await provider.getToken()).toBe(first);
    const forced = await provider.getToken({ forceRefresh: true });
    expect(forced).not.toBe(first);
    expect(grants()).toEqual(['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token']);
  });

  it('clears the store and re-runs the flow when the refresh is rejected', async () => {
    const { provider, store } = deviceProvider(server);
    const first = await provider.getToken();
    server.behaviour.rejectRefresh = true;
    const cleared: string[] = [];
    const original = store.clear.bind(store);
    store.clear = async () => {
      cleared.push('clear');
      await original();
    };
    const second = await provider.getToken({ forceRefresh: true });
    expect(second).not.toBe(first);
    expect(cleared).toEqual(['clear']);
    expect(server.countOf('/oauth/device_authorization')).toBe(2);
    expect((await store.get())?.accessToken).toBe(second);
  });

  it('keeps the credentials when the refresh fails for a server error', async () => {
    const { provider, store } = deviceProvider(server);
    const first = await provider.getToken();
    server.route = (_req, res, url) => {
      if (url.pathname !== '/oauth/token') return false;
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('Service Unavailable');
      return true;
    };
    const error = (await provider.getToken({ forceRefresh: true }).catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.status).toBe(503);
    expect((await store.get())?.accessToken).toBe(first);
    expect(server.countOf('/oauth/device_authorization')).toBe(1);
  });

  it('re-runs the flow on expiry when no refresh token was issued', async () => {
    server.behaviour.tokenLifetime = 30;
    server.behaviour.issueRefreshTokens = false;
    const { provider } = deviceProvider(server, { accessType: 'online' });
    await provider.getToken();
    await provider.getToken();
    expect(server.countOf('/oauth/device_authorization')).toBe(2);
    expect(server.requests[0]!.body.access_type).toBe('online');
  });
});

describe('scope upgrades', () => {
  it('re-runs the flow for a scope the token lacks, sending the old token, and keeps earlier grants', async () => {
    const { provider, store } = deviceProvider(server, { scope: ['data.data'] });
    const first = await provider.getToken();
    const upgraded = await provider.getToken({ forceRefresh: true, scope: ['data.edit'] });
    expect(verifyJwt(upgraded!)?.scope.split(' ').sort()).toEqual(['data.data', 'data.edit']);
    const starts = server.requests.filter((r) => r.path === '/oauth/device_authorization');
    expect(starts.map((s) => s.body.scope)).toEqual(['data.data', 'data.data data.edit']);
    const polls = server.requests.filter((r) => r.path === '/oauth/token');
    expect(polls.at(-1)!.authorization).toBe(`Bearer ${first}`);
    expect((await store.get())?.scope?.sort()).toEqual(['data.data', 'data.edit']);

    // Now granted: neither a plain nor a scoped request runs anything.
    const before = server.requests.length;
    expect(await provider.getToken({ scope: ['data.edit'] })).toBe(upgraded);
    expect(await provider.getToken({ scope: ['public'] })).toBe(upgraded);
    expect(server.requests.length).toBe(before);
  });
});

describe('concurrency', () => {
  it('shares one flow between concurrent callers', async () => {
    const { provider } = deviceProvider(server);
    const tokens = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(server.countOf('/oauth/device_authorization')).toBe(1);
  });

  it('shares one refresh between concurrent forced refreshes (e.g. several 401s at once)', async () => {
    const { provider } = deviceProvider(server);
    const first = await provider.getToken();
    const tokens = await Promise.all([
      provider.getToken({ forceRefresh: true }),
      provider.getToken({ forceRefresh: true }),
    ]);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[0]).not.toBe(first);
    expect(grants().filter((g) => g === 'refresh_token')).toHaveLength(1);
  });

  it('lets a caller whose shared attempt was aborted by another caller run its own', async () => {
    const controller = new AbortController();
    const { provider } = deviceProvider(server, {
      onVerification: async (info) => {
        if (server.countOf('/oauth/device_authorization') === 1) controller.abort();
        else await fetch(info.verificationUriComplete);
      },
    });
    const [aborted, survivor] = await Promise.allSettled([
      provider.getToken({ signal: controller.signal }),
      provider.getToken(),
    ]);
    expect(aborted.status).toBe('rejected');
    expect((aborted as PromiseRejectedResult).reason).toMatchObject({ name: 'AbortError' });
    expect(survivor).toEqual({ status: 'fulfilled', value: server.issued[0] });
    expect(server.countOf('/oauth/device_authorization')).toBe(2);
  });
});
