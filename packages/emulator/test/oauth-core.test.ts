// The SDK's own OAuth providers (@redivis-ts/core) against the emulator: the device flow with refresh, and the
// copy-paste authorization-code flow, with the user's approval given through the emulator's real forms; and what
// survives a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorizationCodeFlow, deviceFlow } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOAuthApp, startEmulator } from '../src/index.js';
import {
  CookieClient,
  DEVICE_GRANT,
  jwtPayload,
  postDeviceAuthorization,
  postToken,
  probeStatus,
  startTestEmulator,
  type TestEmulator,
} from './oauth-helpers.js';

let t: TestEmulator;
let alice: CookieClient;

beforeAll(async () => {
  t = await startTestEmulator();
  alice = new CookieClient(t.origin);
  await alice.signIn('alice');
});
afterAll(async () => {
  await t?.emu.stop();
});

async function probe(token: string | undefined): Promise<number> {
  return probeStatus(t.emu.url, token);
}

describe('core providers against the emulator', () => {
  it('deviceFlow: the user approves, polling gets a token, and an expired token is refreshed', async () => {
    let sleeps = 0;
    let verifications = 0;
    const provider = deviceFlow({
      oauthOrigin: t.origin,
      clientId: '7YGtYWuQot1TEe0pHB3EPSj5',
      scope: ['data.metadata', 'data.data'],
      // Time passes on the emulator's clock instead of the wall clock.
      sleep: async (ms) => {
        sleeps += 1;
        t.advance(ms);
      },
      onVerification: async ({ verificationUriComplete }) => {
        verifications += 1;
        const url = new URL(verificationUriComplete);
        const { res } = await alice.decideDevice(url.pathname + url.search, 'approve');
        expect(res.status).toBe(200);
      },
    });
    const first = await provider.getToken();
    expect(sleeps).toBeGreaterThanOrEqual(1);
    expect(jwtPayload(first as string)).toMatchObject({ name: 'alice', scope: 'data.metadata data.data' });
    expect(await probe(first)).toBe(404);

    t.advance(3_600_000);
    expect(await probe(first)).toBe(401);
    // The provider's clock has not moved, so it learns of the expiry the way a client does: from the 401.
    const refreshed = await provider.getToken({ forceRefresh: true });
    expect(refreshed).not.toBe(first);
    expect(await probe(refreshed)).toBe(404);
    // Renewed with the refresh token (the official Python client is a registered public app), not a new approval.
    expect(verifications).toBe(1);
  });

  it('authorizationCodeFlow: the oob code from the consent page is exchanged with PKCE', async () => {
    const provider = authorizationCodeFlow({
      oauthOrigin: t.origin,
      scope: 'data.data',
      redirectUri: 'urn:ietf:wg:oauth:2.0:oob',
      authorize: async (url) => {
        const u = new URL(url);
        const res = await alice.decide(Object.fromEntries(u.searchParams), 'approve');
        const code = /id="authorization-code" class="code">([^<]+)</.exec(await res.text())?.[1] as string;
        return { code, state: u.searchParams.get('state') as string };
      },
    });
    const token = await provider.getToken();
    expect(jwtPayload(token as string).scope).toBe('data.data');
    expect(await probe(token)).toBe(404);
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
      const d = (
        await postDeviceAuthorization(emu.origin, {
          client_id: app.clientId,
          scope: 'data.overview',
          access_type: 'offline',
        })
      ).body as Record<string, string>;
      await bob.decideDevice(`/oauth/device?user_code=${d.user_code}`, 'approve');
      const granted = await postToken(emu.origin, {
        client_id: app.clientId,
        grant_type: DEVICE_GRANT,
        device_code: d.device_code as string,
      });
      expect(granted.status).toBe(200);
      await emu.stop();

      emu = await startEmulator({ seed: 'demo', seedRows: 20, dataDir });
      expect(await probeStatus(emu.url, granted.body.access_token as string)).toBe(404);
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
