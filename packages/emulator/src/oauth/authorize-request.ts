import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { EmulatorContext } from '../context.js';
import { appRedirectUris, lookupClient } from './apps.js';
import { OOB, OOB_AUTO } from './config.js';
import { OAuthError } from './errors.js';
import { validateScopes } from './grant.js';
import { type PageUser, page } from './html.js';
import { isS256Challenge } from './pkce.js';
import type { OAuthAppRow } from './store.js';

/** A validated `/oauth/authorize` request. */
export interface AuthorizeRequest {
  app: OAuthAppRow | null;
  clientId: string | undefined;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string;
  offline: boolean;
}

/** The parameters the consent form carries back (they are re-validated on POST). */
export const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'access_type',
] as const;

/** An error that must not be sent to the redirect URI (RFC 6749 §4.1.2.1): the user sees it on a page. */
export class FatalAuthorizeError extends Error {}

/** An error reported to the client through its redirect URI. */
export class RedirectableAuthorizeError extends OAuthError {
  constructor(
    readonly redirectUri: string,
    readonly state: string | undefined,
    error: string,
    description: string,
  ) {
    super(400, error, description);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkRedirectUri(app: OAuthAppRow | null, uri: string | undefined): string {
  if (!uri) throw new FatalAuthorizeError('The request has no redirect_uri.');
  if (uri === OOB || uri === OOB_AUTO) return uri;
  if (app) {
    if (!appRedirectUris(app).includes(uri)) {
      throw new FatalAuthorizeError(`The redirect_uri is not registered for ${app.name}.`);
    }
    return uri;
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new FatalAuthorizeError('The redirect_uri is not a valid URL.');
  }
  // Without a registered application there is no list to check against, so only this machine may receive codes.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK.has(url.hostname) || url.hash) {
    throw new FatalAuthorizeError(
      'Without a registered client_id the redirect_uri must be urn:ietf:wg:oauth:2.0:oob, ' +
        'urn:ietf:wg:oauth:2.0:oob:auto or a loopback http(s) URL.',
    );
  }
  return uri;
}

/** Validates authorize parameters (from the query on GET, from the consent form on POST). */
export async function parseAuthorizeRequest(
  ctx: EmulatorContext,
  params: Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>,
): Promise<AuthorizeRequest> {
  const app = await lookupClient(ctx, params.client_id);
  const redirectUri = checkRedirectUri(app, params.redirect_uri);
  const fail = (error: string, description: string) =>
    new RedirectableAuthorizeError(redirectUri, params.state, error, description);
  if (params.response_type !== 'code') {
    throw fail('unsupported_response_type', 'response_type must be "code".');
  }
  if (!params.code_challenge) throw fail('invalid_request', 'PKCE is required: send code_challenge (S256).');
  if (params.code_challenge_method !== 'S256') {
    throw fail('invalid_request', 'code_challenge_method must be "S256".');
  }
  if (!isS256Challenge(params.code_challenge)) {
    throw fail(
      'invalid_request',
      'code_challenge must be base64url(SHA-256(code_verifier)) without padding.',
    );
  }
  let scopes: string[];
  try {
    scopes = validateScopes(params.scope);
  } catch (e) {
    if (e instanceof OAuthError) throw fail(e.error, e.description);
    throw e;
  }
  return {
    app,
    clientId: params.client_id,
    redirectUri,
    scopes,
    state: params.state,
    codeChallenge: params.code_challenge,
    offline: params.access_type === 'offline',
  };
}

// A JSON value embedded in an inline script: `<` escaped so no string can close the script element.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}

/**
 * Sends the outcome (a code, or an error) to the client the way its redirect URI asks:
 * an http(s) URI gets a 302 with the result in the query; `oob` shows it on the page for copying;
 * `oob:auto` posts the JSON string `{"code","state"}` (or `{"error",…}`) to `window.opener`.
 */
export function deliverAuthorizeResult(
  c: Context,
  user: PageUser | null,
  target: { redirectUri: string; state: string | undefined },
  result: { code: string } | { error: string; description: string },
): Response | Promise<Response> {
  const fields: Record<string, string> =
    'code' in result ? { code: result.code } : { error: result.error, error_description: result.description };
  if (target.state !== undefined) fields.state = target.state;
  if (target.redirectUri !== OOB && target.redirectUri !== OOB_AUTO) {
    const url = new URL(target.redirectUri);
    for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
    return c.redirect(url.toString(), 302);
  }
  const body =
    'code' in result
      ? html`<h1>Authorization code</h1>
          <p>Copy this code and paste it into the application that asked for it:</p>
          <code id="authorization-code" class="code">${result.code}</code>
          <p>The code is valid for a short time and can be used once.</p>`
      : html`<h1>Authorization ${result.error === 'access_denied' ? 'denied' : 'failed'}</h1>
          <p class="error" id="authorization-error" data-error="${result.error}">${result.description}</p>`;
  const extraHead =
    target.redirectUri === OOB_AUTO
      ? html`<script>(function(){var m=${raw(scriptJson(JSON.stringify(fields)))};
          if(window.opener){window.opener.postMessage(m,"*");window.close();}})();</script>`
      : undefined;
  return page(c, {
    title: 'code' in result ? 'Authorization code' : 'Authorization failed',
    user,
    body,
    status: 'code' in result || result.error === 'access_denied' ? 200 : 400,
    ...(extraHead ? { extraHead } : {}),
  });
}
