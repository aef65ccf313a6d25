// Shared bits for the auth tests: device-flow and authorization-code providers wired to the test server.
import {
  type AuthorizationCodeFlowOptions,
  authorizationCodeFlow,
  authorizationResultFromUrl,
  type DeviceFlowOptions,
  deviceFlow,
  memoryTokenStore,
  OOB_REDIRECT_URI,
  type TokenStore,
} from '../../src/auth/index.js';
import type { TestOAuthServer } from './oauth-server.js';

/** A sleep that records the requested delays and returns at once (still abortable). */
export function recordingSleep(): {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  slept: number[];
} {
  const slept: number[] = [];
  return {
    slept,
    sleep: async (ms, signal) => {
      slept.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 1));
      signal?.throwIfAborted();
    },
  };
}

/** A device-flow provider whose user approves (or denies) by opening the verification URL. */
export function deviceProvider(
  server: TestOAuthServer,
  overrides: Partial<DeviceFlowOptions> & { store?: TokenStore; approve?: boolean } = {},
) {
  const { approve = true, ...rest } = overrides;
  const timing = recordingSleep();
  const store = rest.store ?? memoryTokenStore();
  const provider = deviceFlow({
    oauthOrigin: server.origin,
    clientId: 'test-client',
    scope: ['data.data'],
    sleep: timing.sleep,
    onVerification: async (info) => {
      if (approve) await fetch(info.verificationUriComplete);
    },
    ...rest,
    store,
  });
  return { provider, store, slept: timing.slept };
}

/** An authorization-code provider whose user "pastes" the code shown by the out-of-band page. */
export function oobProvider(server: TestOAuthServer, overrides: Partial<AuthorizationCodeFlowOptions> = {}) {
  const store = overrides.store ?? memoryTokenStore();
  const urls: string[] = [];
  const provider = authorizationCodeFlow({
    oauthOrigin: server.origin,
    scope: 'data.data',
    redirectUri: OOB_REDIRECT_URI,
    authorize: async (url, { state }) => {
      urls.push(url);
      const shown = (await (await fetch(url)).json()) as { code: string };
      return { code: shown.code, state };
    },
    ...overrides,
    store,
  });
  return { provider, store, urls };
}

/** An `authorize` callback for an http(s) redirect URI: follows /oauth/authorize and reads the redirect. */
export async function followRedirect(url: string) {
  const response = await fetch(url, { redirect: 'manual' });
  return authorizationResultFromUrl(response.headers.get('location') ?? '');
}
