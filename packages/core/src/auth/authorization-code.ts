import { OAuthError, OAuthStateMismatchError, oauthErrorFor } from './errors.js';
import { defaultFetch, raceAbort } from './internal.js';
import { type FlowRequest, oauthFlowProvider } from './oauth-provider.js';
import { createPkcePair, createState } from './pkce.js';
import { credentialsFromTokenResponse, type OAuthEndpoint, postOAuth } from './token-endpoint.js';
import type { StoredCredentials, TokenProvider, TokenStore } from './types.js';

/** Out-of-band redirect: the authorize page shows the code for the user to copy (the JS client's Node mode). */
export const OOB_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob';
/** Out-of-band popup redirect: the authorize page `postMessage`s `{code, state}` to its opener (browser mode). */
export const OOB_AUTO_REDIRECT_URI = 'urn:ietf:wg:oauth:2.0:oob:auto';

/** What the `authorize` callback of {@link authorizationCodeFlow} receives besides the URL. */
export interface AuthorizeContext {
  /** The `state` sent; the flow checks the returned one against it. */
  state: string;
  /** The `redirect_uri` sent. */
  redirectUri: string;
  /** Aborts the wait for the user. */
  signal?: AbortSignal;
}

/** The code and state the authorization server returned. */
export interface AuthorizationResult {
  /** The authorization code to exchange at the token endpoint. */
  code: string;
  /** The `state` echoed back; must equal {@link AuthorizeContext.state}. */
  state: string;
}

/** Options of {@link authorizationCodeFlow}. */
export interface AuthorizationCodeFlowOptions {
  /** Site origin; endpoints are `<origin>/oauth/authorize` and `<origin>/oauth/token` (a client's `oauthOrigin`). */
  oauthOrigin: string;
  /** Scopes to request, as a list or a space-separated string (the JS client asks for `data.data`). */
  scope: string | readonly string[];
  /**
   * Where the authorization server sends the user back.
   * @default `urn:ietf:wg:oauth:2.0:oob` ({@link OOB_REDIRECT_URI}); use {@link OOB_AUTO_REDIRECT_URI} with
   * {@link popupAuthorize} in browsers, or your own https callback.
   */
  redirectUri?: string;
  /** Sent only when given: the official JS client sends no client id in this flow. */
  clientId?: string;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Where credentials are kept. @default memoryTokenStore() */
  store?: TokenStore;
  /**
   * Shows `url` to the user (print it, open a popup, redirect) and resolves with the `code` and `state` that come
   * back. Throw (e.g. an `OAuthAccessDeniedError`) if the user refuses.
   */
  authorize: (url: string, context: AuthorizeContext) => Promise<AuthorizationResult>;
  /** Refresh (when a refresh token was issued) or re-authorize this many seconds before expiry. @default 60 */
  refreshSkewSeconds?: number;
}

/**
 * Reads the authorization response off a redirect URL (`?code=…&state=…`, or `?error=…&error_description=…`), for
 * `authorize` callbacks that use an https redirect URI.
 *
 * @throws OAuthAccessDeniedError when the user refused; OAuthError for any other error or a missing code.
 */
export function authorizationResultFromUrl(url: string | URL): AuthorizationResult {
  const params = new URL(url).searchParams;
  const error = params.get('error');
  if (error) throw oauthErrorFor(error, params.get('error_description') ?? 'Authorization was not granted.');
  const code = params.get('code');
  if (!code) throw new OAuthError('invalid_response', 'The authorization response has no code.');
  return { code, state: params.get('state') ?? '' };
}

/**
 * An OAuth 2.0 authorization-code provider with PKCE S256, as the official JavaScript client runs it: the authorize
 * URL carries `scope`, `redirect_uri`, `response_type=code`, `state`, `code_challenge` and
 * `code_challenge_method=S256` (plus `amr_values`, space-separated, when the API asked for them); the code is
 * exchanged with a JSON body `{grant_type, code, redirect_uri, code_verifier}`. Tokens are cached in `store` and
 * refreshed with a refresh token when the server issued one, else the flow runs again.
 *
 * @example
 * ```ts
 * const provider = authorizationCodeFlow({
 *   oauthOrigin: 'https://redivis.com',
 *   scope: ['data.data'],
 *   redirectUri: OOB_AUTO_REDIRECT_URI,
 *   store: sessionStorageTokenStore(),
 *   authorize: popupAuthorize(),
 * });
 * ```
 */
export function authorizationCodeFlow(options: AuthorizationCodeFlowOptions): TokenProvider {
  const endpoint: OAuthEndpoint = {
    origin: options.oauthOrigin.replace(/\/+$/, ''),
    fetch: options.fetch ?? defaultFetch,
  };
  const redirectUri = options.redirectUri ?? OOB_REDIRECT_URI;

  async function runFlow(req: FlowRequest): Promise<StoredCredentials> {
    const pkce = await createPkcePair();
    const state = createState();
    const url = new URL(`${endpoint.origin}/oauth/authorize`);
    url.searchParams.set('scope', req.scope.join(' '));
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', pkce.challenge);
    url.searchParams.set('code_challenge_method', pkce.method);
    if (options.clientId) url.searchParams.set('client_id', options.clientId);
    if (req.amrValues?.length) url.searchParams.set('amr_values', req.amrValues.join(' '));
    // Raced so an abort settles the flow even if the callback ignores the signal.
    const result = await raceAbort(
      options.authorize(url.toString(), { state, redirectUri, signal: req.signal }),
      req.signal,
    );
    if (!result || result.state !== state) throw new OAuthStateMismatchError();
    const json = await postOAuth(
      endpoint,
      '/oauth/token',
      {
        grant_type: 'authorization_code',
        code: result.code,
        redirect_uri: redirectUri,
        code_verifier: pkce.verifier,
        ...(options.clientId ? { client_id: options.clientId } : {}),
      },
      { encoding: 'json', signal: req.signal, secrets: [result.code, pkce.verifier] },
    );
    return credentialsFromTokenResponse(json, {
      requestedScope: req.scope,
      url: `${endpoint.origin}/oauth/token`,
    });
  }

  return oauthFlowProvider(endpoint, options, runFlow);
}
