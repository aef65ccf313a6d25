// The OAuth endpoints over plain HTTP: every refusal path of the token endpoint, driven through the same sign-in
// and consent forms the browser uses (the Chromium tests in oauth-browser.test.ts click them for real).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOAuthApp, startEmulator } from '../src/index.js';
import {
  CookieClient,
  inputValue,
  jwtPayload,
  pkcePair,
  postToken,
  startTestEmulator,
  type TestEmulator,
} from './oauth-helpers.js';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const CALLBACK = 'http://127.0.0.1:9/callback';
let t: TestEmulator;
let alice: CookieClient;

beforeAll(async () => {
  t = await startTestEmulator({ deviceIntervalSec: 5, deviceCodeTtlSec: 600, codeTtlSec: 120 });
  alice = new CookieClient(t.origin);
  await alice.signIn('alice');
});
afterAll(async () => {
  await t?.emu.stop();
});

function authorizeQuery(challenge: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    response_type: 'code',
    scope: 'data.data',
    redirect_uri: CALLBACK,
    state: 'st-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** Approves an authorization request and returns the code from the redirect. */
async function codeFor(challenge: string, extra: Record<string, string> = {}): Promise<string> {
  const res = await alice.decide(authorizeQuery(challenge, extra), 'approve');
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location') as string);
  expect(location.searchParams.get('state')).toBe('st-123');
  return location.searchParams.get('code') as string;
}

async function apiStatus(token: string): Promise<number> {
  // An unknown endpoint answers 404 to an authenticated caller and 401 to a bad token.
  return (await fetch(`${t.emu.url}/oauth-probe`, { headers: { Authorization: `Bearer ${token}` } })).status;
}

describe('authorization code grant', () => {
  it('exchanges a code (JSON body, no client id) for a session-only JWT carrying the scope', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(challenge);
    const before = Math.floor(Date.now() / 1000);
    const { status, body } = await postToken(
      t.origin,
      { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier },
      'json',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'data.data' });
    expect(body.refresh_token).toBeUndefined();
    expect(body.expires_at as number).toBeGreaterThanOrEqual(before + 3600);
    expect(body.expires_at as number).toBeLessThan(before + 3700);
    expect(jwtPayload(body.access_token as string)).toMatchObject({ scope: 'data.data', name: 'alice' });
    expect(await apiStatus(body.access_token as string)).toBe(404);
  });

  it('refuses a wrong PKCE verifier, and the code cannot be retried afterwards', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(challenge);
    const wrong = await postToken(t.origin, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant' });
    expect(wrong.body.error_description).toMatch(/PKCE/);
    const retry = await postToken(t.origin, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(retry.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a reused code, a redirect_uri mismatch and an expired code', async () => {
    const pair = pkcePair();
    const code = await codeFor(pair.challenge);
    const grant = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      code_verifier: pair.verifier,
    };
    expect((await postToken(t.origin, grant)).status).toBe(200);
    const reused = await postToken(t.origin, grant);
    expect(reused.status).toBe(400);
    expect(reused.body.error_description).toMatch(/already been used/);

    const other = pkcePair();
    const mismatch = await postToken(t.origin, {
      grant_type: 'authorization_code',
      code: await codeFor(other.challenge),
      redirect_uri: 'http://127.0.0.1:9/elsewhere',
      code_verifier: other.verifier,
    });
    expect(mismatch.body).toMatchObject({ error: 'invalid_grant' });
    expect(mismatch.body.error_description).toMatch(/redirect_uri/);

    const late = pkcePair();
    const lateCode = await codeFor(late.challenge);
    t.advance(121_000);
    const expired = await postToken(t.origin, {
      grant_type: 'authorization_code',
      code: lateCode,
      redirect_uri: CALLBACK,
      code_verifier: late.verifier,
    });
    expect(expired.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/expired/),
    });
  });

  it('requires PKCE S256 and reports errors through the redirect, except for a bad redirect_uri', async () => {
    const { challenge } = pkcePair();
    const noPkce = await alice.fetch(
      `/oauth/authorize?${new URLSearchParams({ response_type: 'code', redirect_uri: CALLBACK, state: 's' })}`,
    );
    expect(noPkce.status).toBe(302);
    const loc = new URL(noPkce.headers.get('location') as string);
    expect(loc.origin + loc.pathname).toBe(CALLBACK);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('state')).toBe('s');

    const plain = await alice.fetch(
      `/oauth/authorize?${new URLSearchParams(authorizeQuery(challenge, { code_challenge_method: 'plain' }))}`,
    );
    expect(new URL(plain.headers.get('location') as string).searchParams.get('error')).toBe(
      'invalid_request',
    );

    const badScope = await alice.fetch(
      `/oauth/authorize?${new URLSearchParams(authorizeQuery(challenge, { scope: 'data.everything' }))}`,
    );
    expect(new URL(badScope.headers.get('location') as string).searchParams.get('error')).toBe(
      'invalid_scope',
    );

    const foreign = await alice.fetch(
      `/oauth/authorize?${new URLSearchParams(authorizeQuery(challenge, { redirect_uri: 'https://evil.example/cb' }))}`,
    );
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();
    expect(await foreign.text()).toMatch(/redirect_uri must be/);
  });

  it('sends access_denied with the state on Deny, and refuses a consent post without the CSRF token', async () => {
    const { challenge } = pkcePair();
    const denied = await alice.decide(authorizeQuery(challenge), 'deny');
    const loc = new URL(denied.headers.get('location') as string);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('state')).toBe('st-123');
    expect(loc.searchParams.get('code')).toBeNull();

    const forged = await alice.postForm('/oauth/authorize', {
      ...authorizeQuery(challenge),
      decision: 'approve',
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('location')).toBeNull();
  });

  it('sends a signed-out browser to the login page and back', async () => {
    const { challenge } = pkcePair();
    const anon = new CookieClient(t.origin);
    const res = await anon.fetch(`/oauth/authorize?${new URLSearchParams(authorizeQuery(challenge))}`);
    expect(res.status).toBe(302);
    const login = new URL(res.headers.get('location') as string, t.origin);
    expect(login.pathname).toBe('/login');
    expect(login.searchParams.get('next')).toMatch(/^\/oauth\/authorize\?/);
  });
});

describe('device authorization grant', () => {
  async function startDevice(body: Record<string, unknown>) {
    const res = await fetch(`${t.origin}/oauth/device_authorization`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, string & number>;
  }

  async function decideDevice(userCode: string, decision: 'approve' | 'deny') {
    const confirm = await alice.fetch(
      `/oauth/device?user_code=${encodeURIComponent(userCode.toLowerCase())}`,
    );
    const html = await confirm.text();
    expect(html).toContain(userCode);
    const res = await alice.postForm('/oauth/device', {
      user_code: inputValue(html, 'user_code'),
      csrf_token: inputValue(html, 'csrf_token'),
      decision,
    });
    expect(res.status).toBe(200);
  }

  it('answers pending, slow_down, then issues a token after approval; the device code is single-use', async () => {
    const { verifier, challenge } = pkcePair();
    const d = await startDevice({
      client_id: 'some-unregistered-client',
      scope: 'data.metadata data.data',
      amr_values: null,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      access_type: 'offline',
    });
    expect(d).toMatchObject({ interval: 5, expires_in: 600, verification_uri: `${t.origin}/oauth/device` });
    expect(d.user_code).toMatch(/^[B-Z]{4}-[B-Z]{4}$/);
    expect(d.verification_uri_complete).toBe(`${t.origin}/oauth/device?user_code=${d.user_code}`);
    const poll = {
      client_id: 'some-unregistered-client',
      grant_type: DEVICE_GRANT,
      device_code: d.device_code,
    };

    const pending = await postToken(t.origin, { ...poll, code_verifier: verifier });
    expect(pending).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
    const fast = await postToken(t.origin, { ...poll, code_verifier: verifier });
    expect(fast).toMatchObject({ status: 400, body: { error: 'slow_down' } });

    await decideDevice(d.user_code, 'approve');
    t.advance(5_000); // the interval grew to 10 s after slow_down
    expect((await postToken(t.origin, { ...poll, code_verifier: verifier })).body.error).toBe('slow_down');
    t.advance(15_000);
    const wrongVerifier = await postToken(t.origin, { ...poll, code_verifier: pkcePair().verifier });
    expect(wrongVerifier.body.error).toBe('invalid_grant');
    t.advance(15_000);
    const ok = await postToken(t.origin, { ...poll, code_verifier: verifier });
    expect(ok.status).toBe(200);
    expect(ok.body.scope).toBe('data.metadata data.data');
    // An unregistered client id gets a session-only token even with access_type=offline.
    expect(ok.body.refresh_token).toBeUndefined();
    expect(await apiStatus(ok.body.access_token as string)).toBe(404);
    t.advance(15_000);
    expect((await postToken(t.origin, { ...poll, code_verifier: verifier })).body.error).toBe(
      'invalid_grant',
    );
  });

  it('refuses a denied and an expired device code', async () => {
    const denied = await startDevice({ client_id: 'x-client-1', scope: 'data.data' });
    await decideDevice(denied.user_code, 'deny');
    const deniedPoll = await postToken(t.origin, {
      grant_type: DEVICE_GRANT,
      device_code: denied.device_code,
    });
    expect(deniedPoll).toMatchObject({ status: 400, body: { error: 'access_denied' } });

    const late = await startDevice({ client_id: 'x-client-1', scope: 'data.data' });
    t.advance(601_000);
    const expired = await postToken(t.origin, { grant_type: DEVICE_GRANT, device_code: late.device_code });
    expect(expired).toMatchObject({ status: 400, body: { error: 'expired_token' } });
    const page = await (await alice.fetch(`/oauth/device?user_code=${late.user_code}`)).text();
    expect(page).toMatch(/expired/);
  });
});

describe('refresh tokens and clients', () => {
  async function deviceToken(clientId: string, extra: Record<string, string> = {}) {
    const d = (await (
      await fetch(`${t.origin}/oauth/device_authorization`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: clientId, scope: 'data.data', access_type: 'offline' }),
      })
    ).json()) as Record<string, string>;
    const html = await (await alice.fetch(`/oauth/device?user_code=${d.user_code}`)).text();
    await alice.postForm('/oauth/device', {
      user_code: inputValue(html, 'user_code'),
      csrf_token: inputValue(html, 'csrf_token'),
      decision: 'approve',
    });
    return postToken(t.origin, {
      client_id: clientId,
      grant_type: DEVICE_GRANT,
      device_code: d.device_code as string,
      ...extra,
    });
  }

  it('gives a registered confidential app a refresh token, usable only with its secret', async () => {
    const app = await registerOAuthApp(t.emu.ctx, { name: 'Test lab app' });
    expect(app.clientSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const noSecret = await deviceToken(app.clientId);
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const granted = await deviceToken(app.clientId, { client_secret: app.clientSecret as string });
    expect(granted.status).toBe(200);
    expect(jwtPayload(granted.body.access_token as string).client_id).toBe(app.clientId);
    const refresh = granted.body.refresh_token as string;
    expect(refresh).toBeTruthy();

    t.advance(3_601_000);
    expect(await apiStatus(granted.body.access_token as string)).toBe(401);
    const basic = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
    const refreshed = await postToken(
      t.origin,
      { grant_type: 'refresh_token', refresh_token: refresh },
      'form',
      { authorization: basic },
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ scope: 'data.data', expires_in: 3600 });
    expect(await apiStatus(refreshed.body.access_token as string)).toBe(404);

    const wrongSecret = await postToken(t.origin, {
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: app.clientId,
      client_secret: 'not-the-secret',
    });
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const wideScope = await postToken(
      t.origin,
      { grant_type: 'refresh_token', refresh_token: refresh, scope: 'data.edit' },
      'form',
      { authorization: basic },
    );
    expect(wideScope.body.error).toBe('invalid_scope');
  });

  it('pre-registers the official Python client as a public app that gets refresh tokens', async () => {
    const granted = await deviceToken('7YGtYWuQot1TEe0pHB3EPSj5');
    expect(granted.status).toBe(200);
    const refreshed = await postToken(t.origin, {
      client_id: '7YGtYWuQot1TEe0pHB3EPSj5',
      grant_type: 'refresh_token',
      refresh_token: granted.body.refresh_token as string,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).toEqual(expect.any(String));
    const noClient = await postToken(t.origin, {
      grant_type: 'refresh_token',
      refresh_token: granted.body.refresh_token as string,
    });
    expect(noClient.body.error).toBe('invalid_grant');
  });

  it('answers malformed requests with OAuth errors', async () => {
    const bad = await fetch(`${t.origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_request' });
    expect((await postToken(t.origin, { grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
    expect((await postToken(t.origin, { grant_type: 'authorization_code' })).body).toMatchObject({
      error: 'invalid_request',
      error_description: 'Missing parameter: code',
    });
  });
});

describe('restart on the same data dir', () => {
  it('keeps registered apps, refresh tokens, sessions and the signing key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'redivis-oauth-restart-'));
    let emu = await startEmulator({ seed: 'demo', seedRows: 20, dataDir });
    try {
      const app = await registerOAuthApp(emu.ctx, { name: 'Persisted app', public: true });
      const bob = new CookieClient(emu.origin);
      await bob.signIn('bob');
      const d = (await (
        await fetch(`${emu.origin}/oauth/device_authorization`, {
          method: 'POST',
          body: new URLSearchParams({
            client_id: app.clientId,
            scope: 'data.overview',
            access_type: 'offline',
          }),
        })
      ).json()) as Record<string, string>;
      const html = await (await bob.fetch(`/oauth/device?user_code=${d.user_code}`)).text();
      await bob.postForm('/oauth/device', {
        user_code: inputValue(html, 'user_code'),
        csrf_token: inputValue(html, 'csrf_token'),
        decision: 'approve',
      });
      const granted = await postToken(emu.origin, {
        client_id: app.clientId,
        grant_type: DEVICE_GRANT,
        device_code: d.device_code as string,
      });
      expect(granted.status).toBe(200);
      await emu.stop();

      emu = await startEmulator({ seed: 'demo', seedRows: 20, dataDir });
      const probe = await fetch(`${emu.url}/oauth-probe`, {
        headers: { Authorization: `Bearer ${granted.body.access_token}` },
      });
      expect(probe.status).toBe(404);
      const refreshed = await postToken(emu.origin, {
        client_id: app.clientId,
        grant_type: 'refresh_token',
        refresh_token: granted.body.refresh_token as string,
      });
      expect(refreshed.status).toBe(200);
      bob.origin = emu.origin;
      const settings = await bob.fetch('/settings/tokens');
      expect(settings.status).toBe(200);
      expect(await settings.text()).toContain('id="signed-in-user">bob<');
    } finally {
      await emu.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
