import { OAuthError, OAuthExpiredError } from './errors.js';
import { defaultFetch, sleep as defaultSleep } from './internal.js';
import { type FlowRequest, oauthFlowProvider } from './oauth-provider.js';
import { createPkcePair } from './pkce.js';
import { credentialsFromTokenResponse, type OAuthEndpoint, postOAuth } from './token-endpoint.js';
import type { StoredCredentials, TokenProvider, TokenStore } from './types.js';

/** What to show the user so they can approve a device-flow request. */
export interface DeviceVerification {
  /** The page to open; already carries the user code (`verification_uri_complete`). */
  verificationUriComplete: string;
  /** The page where the user types {@link DeviceVerification.userCode} (falls back to the complete URI). */
  verificationUri: string;
  /** The code to type, when the server sent one. */
  userCode?: string;
  /** Seconds until the device code expires, when the server said. */
  expiresIn?: number;
}

/** Options of {@link deviceFlow}. */
export interface DeviceFlowOptions {
  /** Site origin; endpoints are `<origin>/oauth/device_authorization` and `<origin>/oauth/token`. */
  oauthOrigin: string;
  /** The public client id (the Python client uses `7YGtYWuQot1TEe0pHB3EPSj5`). */
  clientId: string;
  /** Scopes to request, as a list or a space-separated string. */
  scope: string | readonly string[];
  /** `offline` asks for a refresh token. @default 'offline' */
  accessType?: 'offline' | 'online';
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Where credentials are kept. @default memoryTokenStore() */
  store?: TokenStore;
  /** Shows the verification URL (and code) to the user; polling starts once this returns. */
  onVerification: (info: DeviceVerification) => void | Promise<void>;
  /** Give up (with an `OAuthExpiredError`, code `timeout`) after waiting this long in total. @default 600_000 */
  maxWaitMs?: number;
  /** Poll interval used when the server sends none. @default 5_000 */
  defaultIntervalMs?: number;
  /** Added to the interval on each `slow_down` answer (RFC 8628 §3.5). @default 5_000 */
  slowDownIncrementMs?: number;
  /** Waits between polls; injectable so schedulers (and tests) can control time. @default setTimeout-based */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Refresh this many seconds before expiry. @default 60 */
  refreshSkewSeconds?: number;
}

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function verificationFrom(json: Record<string, unknown>, url: string): DeviceVerification {
  const complete =
    typeof json.verification_uri_complete === 'string' ? json.verification_uri_complete : undefined;
  const plain = typeof json.verification_uri === 'string' ? json.verification_uri : undefined;
  if (!complete && !plain) {
    throw new OAuthError('invalid_response', 'The device authorization response has no verification URI.', {
      url,
    });
  }
  const info: DeviceVerification = {
    verificationUriComplete: (complete ?? plain)!,
    verificationUri: (plain ?? complete)!,
  };
  if (typeof json.user_code === 'string') info.userCode = json.user_code;
  if (typeof json.expires_in === 'number') info.expiresIn = json.expires_in;
  return info;
}

/**
 * An OAuth 2.0 device authorization grant provider (RFC 8628) with PKCE, as the official Python and R clients
 * run it: `POST <origin>/oauth/device_authorization` with a JSON body `{client_id, scope, amr_values,
 * code_challenge, code_challenge_method, access_type}`, then form-encoded `device_code` grants to
 * `<origin>/oauth/token` every `interval` seconds (5 when unset). `authorization_pending` keeps polling,
 * `slow_down` adds 5 s to the interval, `expired_token` and `access_denied` reject with `OAuthExpiredError` and
 * `OAuthAccessDeniedError`. When upgrading an existing token's scopes the poll carries that token as a bearer
 * token. Expired tokens are refreshed with the refresh token; a rejected refresh clears the store and re-runs the
 * flow.
 *
 * @example
 * ```ts
 * const provider = deviceFlow({
 *   oauthOrigin: 'https://redivis.com',
 *   clientId: 'my-client-id',
 *   scope: ['data.edit', 'workflow.write'],
 *   onVerification: ({ verificationUriComplete }) => console.log(`Approve at ${verificationUriComplete}`),
 * });
 * ```
 */
export function deviceFlow(options: DeviceFlowOptions): TokenProvider {
  const endpoint: OAuthEndpoint = {
    origin: options.oauthOrigin.replace(/\/+$/, ''),
    fetch: options.fetch ?? defaultFetch,
  };
  const sleep = options.sleep ?? defaultSleep;
  const maxWaitMs = options.maxWaitMs ?? 600_000;
  const tokenUrl = `${endpoint.origin}/oauth/token`;

  async function runFlow(req: FlowRequest): Promise<StoredCredentials> {
    const pkce = await createPkcePair();
    const bearer = req.previous?.accessToken;
    const started = await postOAuth(
      endpoint,
      '/oauth/device_authorization',
      {
        client_id: options.clientId,
        scope: req.scope.join(' '),
        amr_values: req.amrValues?.length ? req.amrValues : null,
        code_challenge: pkce.challenge,
        code_challenge_method: pkce.method,
        access_type: options.accessType ?? 'offline',
      },
      { encoding: 'json', signal: req.signal, secrets: [pkce.verifier, bearer] },
    );
    const deviceCode = started.device_code;
    if (typeof deviceCode !== 'string' || deviceCode === '') {
      throw new OAuthError('invalid_response', 'The device authorization response has no device_code.', {
        url: `${endpoint.origin}/oauth/device_authorization`,
      });
    }
    await options.onVerification(verificationFrom(started, `${endpoint.origin}/oauth/device_authorization`));

    const interval =
      typeof started.interval === 'number' && started.interval > 0 ? started.interval : undefined;
    let intervalMs = interval !== undefined ? interval * 1000 : (options.defaultIntervalMs ?? 5_000);
    let waitedMs = 0;
    const secrets = [deviceCode, pkce.verifier, bearer];
    for (;;) {
      if (waitedMs + intervalMs > maxWaitMs) {
        throw new OAuthExpiredError('timeout', `The device was not approved within ${maxWaitMs} ms.`, {
          url: tokenUrl,
        });
      }
      await sleep(intervalMs, req.signal);
      req.signal?.throwIfAborted();
      waitedMs += intervalMs;
      try {
        const json = await postOAuth(
          endpoint,
          '/oauth/token',
          {
            client_id: options.clientId,
            grant_type: DEVICE_CODE_GRANT,
            device_code: deviceCode,
            code_verifier: pkce.verifier,
          },
          { encoding: 'form', bearer, signal: req.signal, secrets },
        );
        return credentialsFromTokenResponse(json, { requestedScope: req.scope, url: tokenUrl });
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        if (error.code === 'authorization_pending') continue;
        if (error.code === 'slow_down') {
          intervalMs += options.slowDownIncrementMs ?? 5_000;
          continue;
        }
        throw error;
      }
    }
  }

  return oauthFlowProvider(endpoint, options, runFlow);
}
