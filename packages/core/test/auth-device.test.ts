import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAuthAccessDeniedError, OAuthError, OAuthExpiredError, tokenScopes } from '../src/auth/index.js';
import { deviceProvider } from './helpers/auth-flows.js';
import { startOAuthServer, type TestOAuthServer, verifyJwt } from './helpers/oauth-server.js';

let server: TestOAuthServer;
beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

describe('deviceFlow', () => {
  it('runs the device flow end to end with the Redivis wire format and caches the token', async () => {
    const { provider, store } = deviceProvider(server, { scope: 'data.data data.edit' });
    expect(provider.kind).toBe('oauth');
    const token = await provider.getToken();
    expect(token).toBe(server.issued[0]);
    expect(verifyJwt(token!)?.scope).toBe('data.data data.edit');

    const start = server.requests.find((r) => r.path === '/oauth/device_authorization')!;
    expect(start.contentType).toBe('application/json');
    expect(Object.keys(start.body).sort()).toEqual(
      ['access_type', 'amr_values', 'client_id', 'code_challenge', 'code_challenge_method', 'scope'].sort(),
    );
    expect(start.body).toMatchObject({
      client_id: 'test-client',
      scope: 'data.data data.edit',
      amr_values: null,
      code_challenge_method: 'S256',
      access_type: 'offline',
    });
    expect(start.body.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const poll = server.requests.find((r) => r.path === '/oauth/token')!;
    expect(poll.contentType).toBe('application/x-www-form-urlencoded');
    expect(poll.body).toMatchObject({
      client_id: 'test-client',
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    });
    expect(typeof poll.body.device_code).toBe('string');
    expect(typeof poll.body.code_verifier).toBe('string');
    expect(poll.authorization).toBeUndefined();

    const stored = await store.get();
    expect(stored?.scope).toEqual(['data.data', 'data.edit']);
    expect(stored?.refreshToken).toEqual(expect.any(String));
    expect(stored?.expiresAt).toBe(verifyJwt(token!)?.expires_at);

    const before = server.requests.length;
    expect(await provider.getToken()).toBe(token);
    expect(server.requests.length).toBe(before);
  });

  it('keeps polling through authorization_pending and adds 5 s per slow_down', async () => {
    server.behaviour.pollScript = ['authorization_pending', 'slow_down', 'authorization_pending'];
    const { provider, slept } = deviceProvider(server);
    expect(await provider.getToken()).toBe(server.issued[0]);
    expect(slept).toEqual([5000, 5000, 10000, 10000]);
    expect(server.countOf('/oauth/token')).toBe(4);
  });

  it('uses the interval the server sends', async () => {
    server.behaviour.deviceInterval = 2;
    server.behaviour.pollScript = ['authorization_pending'];
    const { provider, slept } = deviceProvider(server);
    await provider.getToken();
    expect(slept).toEqual([2000, 2000]);
  });

  it('rejects with OAuthExpiredError on expired_token and stores nothing', async () => {
    server.behaviour.deviceCodesExpire = true;
    const { provider, store } = deviceProvider(server);
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthExpiredError);
    expect(error).toMatchObject({ code: 'expired_token', status: 400 });
    expect(await store.get()).toBeUndefined();
  });

  it('rejects with OAuthAccessDeniedError when the user denies, and a later call starts a new flow', async () => {
    server.behaviour.deviceDecision = 'deny';
    const { provider } = deviceProvider(server);
    await expect(provider.getToken()).rejects.toBeInstanceOf(OAuthAccessDeniedError);
    server.behaviour.deviceDecision = 'approve';
    expect(await provider.getToken()).toBe(server.issued[0]);
    expect(server.countOf('/oauth/device_authorization')).toBe(2);
  });

  it('gives up after maxWaitMs with code timeout', async () => {
    const { provider, slept } = deviceProvider(server, { approve: false, maxWaitMs: 20_000 });
    const error = await provider.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthExpiredError);
    expect((error as OAuthError).code).toBe('timeout');
    expect(slept).toEqual([5000, 5000, 5000, 5000]);
  });

  it('is abortable while polling, rejecting with the signal reason', async () => {
    const controller = new AbortController();
    const { provider } = deviceProvider(server, {
      approve: false,
      sleep: undefined,
      defaultIntervalMs: 20,
      onVerification: () => {
        setTimeout(() => controller.abort(), 50);
      },
    });
    const error = await provider.getToken({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
  });

  it('forwards amr_values as an array', async () => {
    const { provider } = deviceProvider(server);
    await provider.getToken();
    await provider.getToken({ forceRefresh: true, amrValues: ['mfa'] });
    const starts = server.requests.filter((r) => r.path === '/oauth/device_authorization');
    expect(starts).toHaveLength(2);
    expect(starts[1]!.body.amr_values).toEqual(['mfa']);
  });

  it('surfaces other token errors as OAuthError without the device code, verifier or token', async () => {
    server.behaviour.pollScript = ['invalid_grant'];
    server.behaviour.echoInErrors = (body) => ` echo: ${JSON.stringify(body)}`;
    const { provider } = deviceProvider(server);
    const error = (await provider.getToken().catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.code).toBe('invalid_grant');
    const poll = server.requests.find((r) => r.path === '/oauth/token')!;
    const text = `${error.message} ${error.description} ${String(error.stack)} ${JSON.stringify(error)}`;
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain(String(poll.body.device_code));
    expect(text).not.toContain(String(poll.body.code_verifier));
  });

  it('reads granted scopes from the JWT scope claim', async () => {
    const { provider } = deviceProvider(server, { scope: ['data.overview', 'workflow.write'] });
    const token = await provider.getToken();
    expect(tokenScopes(token!)).toEqual(['data.overview', 'workflow.write']);
    expect(tokenScopes('opaque-token')).toBeUndefined();
  });
});
