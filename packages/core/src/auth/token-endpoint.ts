// The wire side of the Redivis OAuth endpoints (rest-api.md §3.3). Written by hand rather than with oauth4webapi's
// grant helpers because Redivis departs from RFC 6749/8628 in ways those helpers do not allow: JSON bodies for the
// code exchange and the device authorization request, no client_id on the code exchange, an `amr_values` array,
// and token responses that need not carry `token_type`.
import { NetworkError } from '../errors/index.js';
import { OAuthError, oauthErrorFor } from './errors.js';
import { splitScope, tokenScopes } from './jwt.js';
import { stripQuery } from './internal.js';
import type { StoredCredentials } from './types.js';

/** Where and how the OAuth endpoints are reached. */
export interface OAuthEndpoint {
  /** Site origin, e.g. `https://redivis.com`; endpoints are `<origin>/oauth/...`. */
  origin: string;
  fetch: typeof fetch;
}

/** Options for one POST to an OAuth endpoint. */
export interface OAuthPostOptions {
  encoding: 'json' | 'form';
  /** Sent as `Authorization: Bearer` (the device-flow poll does this when upgrading an existing token). */
  bearer?: string;
  signal?: AbortSignal;
  /** Values that must never reach an error message (verifiers, codes, tokens). */
  secrets: readonly (string | undefined)[];
}

function encodeBody(body: Record<string, unknown>, encoding: 'json' | 'form'): string {
  if (encoding === 'json') return JSON.stringify(body);
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) if (v !== undefined && v !== null) form.set(k, String(v));
  return form.toString();
}

function errorFields(json: unknown, text: string): { code: string; description: string } {
  if (json && typeof json === 'object') {
    const body = json as Record<string, unknown>;
    if (typeof body.error === 'string') {
      const description = typeof body.error_description === 'string' ? body.error_description : body.error;
      return { code: body.error, description };
    }
    if (body.error && typeof body.error === 'object') {
      const message = (body.error as Record<string, unknown>).message;
      if (typeof message === 'string') return { code: 'server_error', description: message };
    }
  }
  return { code: 'server_error', description: text.slice(0, 500) || 'The OAuth server returned an error.' };
}

/** POSTs to `<origin><path>` and returns the JSON body, or throws an {@link OAuthError} built from the error. */
export async function postOAuth(
  endpoint: OAuthEndpoint,
  path: string,
  body: Record<string, unknown>,
  options: OAuthPostOptions,
): Promise<Record<string, unknown>> {
  const url = `${endpoint.origin}${path}`;
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': options.encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
  };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let response: Response;
  try {
    response = await endpoint.fetch(url, {
      method: 'POST',
      headers,
      body: encodeBody(body, options.encoding),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new NetworkError({
      description: `Could not reach ${stripQuery(url)}`,
      method: 'POST',
      url: stripQuery(url),
      cause: error,
      secrets: options.secrets,
    });
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const { code, description } = errorFields(json, text);
    throw oauthErrorFor(code, description, {
      status: response.status,
      url: stripQuery(url),
      secrets: options.secrets,
    });
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new OAuthError('invalid_response', `${stripQuery(url)} did not return a JSON object.`, {
      status: response.status,
      url: stripQuery(url),
    });
  }
  return json as Record<string, unknown>;
}

/**
 * Turns a token endpoint response into {@link StoredCredentials}. Granted scopes come from the access token's JWT
 * `scope` claim, else the response's `scope`, else what was there before, else what was asked for (as the Python
 * client assumes when it cannot decode the token).
 */
export function credentialsFromTokenResponse(
  json: Record<string, unknown>,
  context: { requestedScope: readonly string[]; previous?: StoredCredentials; url: string },
): StoredCredentials {
  const accessToken = json.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new OAuthError('invalid_response', 'The token response has no access_token.', { url: context.url });
  }
  let expiresAt: number | undefined;
  if (typeof json.expires_at === 'number') expiresAt = json.expires_at;
  else if (typeof json.expires_in === 'number') expiresAt = Math.floor(Date.now() / 1000) + json.expires_in;
  const refreshToken =
    typeof json.refresh_token === 'string' && json.refresh_token !== ''
      ? json.refresh_token
      : context.previous?.refreshToken;
  const scope = tokenScopes(accessToken) ??
    (typeof json.scope === 'string' ? splitScope(json.scope) : undefined) ??
    context.previous?.scope ?? [...context.requestedScope];
  const creds: StoredCredentials = { accessToken, scope };
  if (refreshToken !== undefined) creds.refreshToken = refreshToken;
  if (expiresAt !== undefined) creds.expiresAt = expiresAt;
  return creds;
}

/** Exchanges a refresh token (form-encoded `refresh_token` grant, as the Python and R clients send it). */
export async function refreshCredentials(
  endpoint: OAuthEndpoint,
  creds: StoredCredentials & { refreshToken: string },
  clientId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<StoredCredentials> {
  const json = await postOAuth(
    endpoint,
    '/oauth/token',
    { grant_type: 'refresh_token', refresh_token: creds.refreshToken, client_id: clientId },
    { encoding: 'form', signal, secrets: [creds.refreshToken, creds.accessToken] },
  );
  return credentialsFromTokenResponse(json, {
    requestedScope: creds.scope ?? [],
    previous: creds,
    url: `${endpoint.origin}/oauth/token`,
  });
}
