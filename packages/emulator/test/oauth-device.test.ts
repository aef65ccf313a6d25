// The device-code and refresh-token grants over plain HTTP, with the user's decision posted through the
// verification page's form (oauth-browser.test.ts clicks it in Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOAuthApp } from '../src/index.js';
import {
  CookieClient,
  DEVICE_GRANT,
  jwtPayload,
  pkcePair,
  postDeviceAuthorization,
  postToken,
  probeStatus,
  startTestEmulator,
  type TestEmulator,
} from './oauth-helpers.js';

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

async function apiStatus(token: string): Promise<number> {
  return probeStatus(t.emu.url, token);
}

describe('device authorization grant', () => {
  async function startDevice(body: Record<string, unknown>) {
    const res = await postDeviceAuthorization(t.origin, body, 'json');
    expect(res.status).toBe(200);
    return res.body as Record<string, string & number>;
  }

  async function decideDevice(userCode: string, decision: 'approve' | 'deny') {
    const { page, res } = await alice.decideDevice(
      `/oauth/device?user_code=${encodeURIComponent(userCode.toLowerCase())}`,
      decision,
    );
    expect(page).toContain(userCode);
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
    const d = (
      await postDeviceAuthorization(t.origin, {
        client_id: clientId,
        scope: 'data.data',
        access_type: 'offline',
      })
    ).body as Record<string, string>;
    await alice.decideDevice(`/oauth/device?user_code=${d.user_code}`, 'approve');
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
});
