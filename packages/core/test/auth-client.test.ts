// The OAuth providers driven by the real client: re-authentication after a 401 and after a 403 insufficient_scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, InsufficientScopeError } from '../src/index.js';
import { deviceProvider } from './helpers/auth-flows.js';
import { startOAuthServer, type TestOAuthServer, verifyJwt } from './helpers/oauth-server.js';

let server: TestOAuthServer;
beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(() => server.close());

const me = (client: ReturnType<typeof createTransport>, need?: string) =>
  client.request<{ scope: string }>({ path: '/me', query: { need }, retry: false });

describe('client + OAuth provider', () => {
  it('refreshes the token once after a 401 and replays the request', async () => {
    const { provider } = deviceProvider(server);
    const client = createTransport({ baseUrl: `${server.origin}/api/v1`, tokenProvider: provider });
    await me(client);
    const first = server.issued.at(-1)!;
    server.behaviour.revoked.add(first);
    const grantsBefore = server.countOf('/oauth/token');
    await expect(me(client)).resolves.toEqual({ kind: 'user', scope: 'data.data' });
    const calls = server.requests.filter((r) => r.path === '/api/v1/me').slice(-2);
    expect(calls.map((c) => c.authorization)).toEqual([`Bearer ${first}`, `Bearer ${server.issued.at(-1)}`]);
    expect(server.countOf('/oauth/token') - grantsBefore).toBe(1);
    expect(server.requests.at(-2)!.body.grant_type).toBe('refresh_token');
  });

  it('upgrades scopes after a 403 insufficient_scope and replays the request', async () => {
    const { provider, store } = deviceProvider(server, { scope: 'data.data' });
    const client = createTransport({ baseUrl: `${server.origin}/api/v1`, tokenProvider: provider });
    await me(client);
    const result = await me(client, 'data.edit');
    expect(result.scope.split(' ').sort()).toEqual(['data.data', 'data.edit']);
    expect(verifyJwt((await store.get())!.accessToken)?.scope).toBe(result.scope);
    expect(server.requests.filter((r) => r.path === '/oauth/device_authorization').at(-1)!.body.scope).toBe(
      'data.data data.edit',
    );
  });

  it('surfaces the 403 after one re-authentication when the user grants less than needed', async () => {
    server.behaviour.withheldScopes = ['organization.write'];
    const { provider } = deviceProvider(server, { scope: 'data.data' });
    const client = createTransport({ baseUrl: `${server.origin}/api/v1`, tokenProvider: provider });
    const before = server.countOf('/oauth/device_authorization');
    const error = await me(client, 'organization.write').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect((error as InsufficientScopeError).scope).toEqual(['organization.write']);
    // One flow for the first token, one upgrade attempt; then the error surfaces.
    expect(server.countOf('/oauth/device_authorization') - before).toBe(2);
    server.behaviour.withheldScopes = [];
  });
});
