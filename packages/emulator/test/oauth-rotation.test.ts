// Opt-in refresh-token rotation (`oauth.rotateRefreshTokens`, issue 12): each refresh answers a new refresh token
// and invalidates the one used; presenting a used one revokes the whole grant (every access and refresh token
// descended from it). Driven through @redivis-ts/core's device-flow provider, as an SDK user would, plus raw token
// requests for the replay. Off by default: the official clients keep their first refresh token.
import {
  createTransport,
  deviceFlow,
  memoryTokenStore,
  OAuthAccessDeniedError,
  type StoredCredentials,
} from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CookieClient,
  postToken,
  probeStatus,
  startTestEmulator,
  type TestEmulator,
} from './oauth-helpers.js';

const PYTHON_CLIENT = '7YGtYWuQot1TEe0pHB3EPSj5';

/** A device-flow provider whose user (alice) approves, or denies once `deny()` was called. */
function provider(t: TestEmulator, alice: CookieClient, initial?: StoredCredentials) {
  const store = memoryTokenStore(initial);
  let decision: 'approve' | 'deny' = 'approve';
  let verifications = 0;
  const p = deviceFlow({
    oauthOrigin: t.origin,
    clientId: PYTHON_CLIENT,
    scope: ['data.metadata', 'data.data'],
    store,
    sleep: async (ms) => t.advance(ms),
    onVerification: async ({ verificationUriComplete }) => {
      verifications += 1;
      const url = new URL(verificationUriComplete);
      await alice.decideDevice(url.pathname + url.search, decision);
    },
  });
  return {
    p,
    store,
    verifications: () => verifications,
    deny: () => {
      decision = 'deny';
    },
  };
}

const refreshWith = (t: TestEmulator, token: string) =>
  postToken(t.origin, { grant_type: 'refresh_token', refresh_token: token, client_id: PYTHON_CLIENT });

describe('refresh-token rotation on', () => {
  let t: TestEmulator;
  let alice: CookieClient;
  beforeAll(async () => {
    t = await startTestEmulator({ rotateRefreshTokens: true });
    alice = new CookieClient(t.origin);
    await alice.signIn('alice');
  });
  afterAll(() => t?.emu.stop());

  it('rotates on every refresh through core, and a replayed used token revokes the whole grant', async () => {
    const a = provider(t, alice);
    const first = await a.p.getToken();
    const rt0 = (await a.store.get())?.refreshToken as string;
    expect(rt0).toEqual(expect.any(String));
    // Two refreshes in sequence: each answers (and core stores) a new refresh token.
    const second = await a.p.getToken({ forceRefresh: true });
    const rt1 = (await a.store.get())?.refreshToken as string;
    const third = await a.p.getToken({ forceRefresh: true });
    const rt2 = (await a.store.get())?.refreshToken as string;
    expect(new Set([rt0, rt1, rt2]).size).toBe(3);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(a.verifications()).toBe(1);
    expect(await probeStatus(t.emu.url, third)).toBe(404);

    // A copy of the first refresh token, used again: refused, and the grant it belongs to is revoked.
    const replay = await refreshWith(t, rt0);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
    expect(String(replay.body.error_description)).toMatch(/already used/);
    for (const token of [first, second, third]) expect(await probeStatus(t.emu.url, token)).toBe(401);
    expect((await refreshWith(t, rt2)).body).toMatchObject({ error: 'invalid_grant' });

    // The SDK sees the 401, tries its (revoked) refresh token, falls back to signing in again; the user says no:
    // the caller gets core's typed error, never a stale token.
    a.deny();
    const client = createTransport({ baseUrl: t.emu.url, tokenProvider: a.p, retry: false });
    const outcome = await client.request({ path: '/datasets/demo.weather_sample' }).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(OAuthAccessDeniedError);
    expect(a.verifications()).toBe(2);
    expect(await a.store.get()).toBeUndefined();
  });

  it('leaves other grants of the same user alone, and keeps a narrowed refresh’s grant scopes', async () => {
    const a = provider(t, alice);
    const b = provider(t, alice);
    await a.p.getToken();
    const bToken = await b.p.getToken();
    const rtA = (await a.store.get())?.refreshToken as string;
    const narrowed = await postToken(t.origin, {
      grant_type: 'refresh_token',
      refresh_token: rtA,
      client_id: PYTHON_CLIENT,
      scope: 'data.metadata',
    });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe('data.metadata');
    // The new refresh token still carries the grant's scopes.
    const widened = await refreshWith(t, narrowed.body.refresh_token as string);
    expect(widened.status).toBe(200);
    expect(widened.body.scope).toBe('data.metadata data.data');
    expect((await refreshWith(t, rtA)).status).toBe(400); // reuse: a's grant revoked
    expect(await probeStatus(t.emu.url, widened.body.access_token as string)).toBe(401);
    expect(await probeStatus(t.emu.url, bToken)).toBe(404);
    expect(await probeStatus(t.emu.url, await b.p.getToken({ forceRefresh: true }))).toBe(404);
  });
});

describe('refresh-token rotation off (the default)', () => {
  let t: TestEmulator;
  let alice: CookieClient;
  beforeAll(async () => {
    t = await startTestEmulator();
    alice = new CookieClient(t.origin);
    await alice.signIn('alice');
  });
  afterAll(() => t?.emu.stop());

  it('answers no new refresh token, and the same one keeps working as the official clients expect', async () => {
    const a = provider(t, alice);
    await a.p.getToken();
    const rt = (await a.store.get())?.refreshToken as string;
    for (let i = 0; i < 3; i++) {
      const r = await refreshWith(t, rt);
      expect(r.status).toBe(200);
      expect(r.body.refresh_token).toBeUndefined();
      expect(await probeStatus(t.emu.url, r.body.access_token as string)).toBe(404);
    }
    await a.p.getToken({ forceRefresh: true });
    expect((await a.store.get())?.refreshToken).toBe(rt);
  });
});
