// The authorization-code grant over plain HTTP: every refusal path, driven through the same sign-in and consent
// forms the browser uses (oauth-browser.test.ts clicks them in Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOAuthApp } from '../src/index.js';
import {
  CookieClient,
  inputValue,
  jwtPayload,
  pkcePair,
  postToken,
  probeStatus,
  startTestEmulator,
  type TestEmulator,
} from './oauth-helpers.js';

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
  return probeStatus(t.emu.url, token);
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

  it('signs in by typed username, refuses unknown users and off-site next URLs, and signs out', async () => {
    const bob = new CookieClient(t.origin);
    const form = await (await bob.fetch('/login')).text();
    const login_csrf = inputValue(form, 'login_csrf');
    const unknown = await bob.postForm('/login', { username: 'mallory', next: '/', login_csrf });
    expect(unknown.status).toBe(400);
    const retry = inputValue(await unknown.text(), 'login_csrf');
    const ok = await bob.postForm('/login', {
      username: 'BOB',
      next: 'https://evil.example/',
      login_csrf: retry,
    });
    expect(ok.headers.get('location')).toBe('/settings/tokens');
    expect(await (await bob.fetch('/settings/tokens')).text()).toContain('id="signed-in-user">bob<');
    await bob.postForm('/logout', {});
    expect((await bob.fetch('/settings/tokens')).status).toBe(302);
  });

  it('holds a registered app to its redirect URIs and secret, and gives it a refresh token offline', async () => {
    const app = await registerOAuthApp(t.emu.ctx, { name: 'Lab dashboard', redirectUris: [CALLBACK] });
    const { verifier, challenge } = pkcePair();
    const unregistered = await alice.fetch(
      `/oauth/authorize?${new URLSearchParams(authorizeQuery(challenge, { client_id: app.clientId, redirect_uri: 'http://127.0.0.1:9/other' }))}`,
    );
    expect(unregistered.status).toBe(400);
    expect(unregistered.headers.get('location')).toBeNull();

    const query = authorizeQuery(challenge, { client_id: app.clientId, access_type: 'offline' });
    const consent = await (await alice.fetch(`/oauth/authorize?${new URLSearchParams(query)}`)).text();
    expect(consent).toContain('Lab dashboard wants to access your Redivis account');
    const code = await codeFor(challenge, { client_id: app.clientId, access_type: 'offline' });
    const grant = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier };
    const noSecret = await postToken(t.origin, { ...grant, client_id: app.clientId });
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const ok = await postToken(t.origin, {
      ...grant,
      client_id: app.clientId,
      client_secret: app.clientSecret as string,
    });
    // The failed attempt above was rejected before the code was looked at, so the code was still unused.
    expect(ok.status).toBe(200);
    expect(ok.body.refresh_token).toEqual(expect.any(String));
    expect(jwtPayload(ok.body.access_token as string).client_id).toBe(app.clientId);

    const other = pkcePair();
    const stolen = await codeFor(other.challenge, { client_id: app.clientId });
    const anonymous = await postToken(t.origin, { ...grant, code: stolen, code_verifier: other.verifier });
    expect(anonymous.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/another client/),
    });
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
