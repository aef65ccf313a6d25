import type { Context } from 'hono';
import { hashToken } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { OAuthError } from './errors.js';
import { randomSecret, safeEqual } from './session.js';
import { findApp, insertApp, type OAuthAppRow } from './store.js';

/** What {@link registerOAuthApp} needs. */
export interface RegisterOAuthAppInput {
  /** Shown on the consent page. */
  name: string;
  /** A fixed client id; generated when omitted. */
  clientId?: string;
  /** Exact http(s) redirect URIs the app may use (the `urn:ietf:wg:oauth:2.0:oob` URIs are always allowed). */
  redirectUris?: readonly string[];
  /** Whether `access_type=offline` yields refresh tokens. @default true */
  offline?: boolean;
  /**
   * A public client (installed app, PKCE only) gets no secret; a confidential one must authenticate at the token
   * endpoint with `client_secret` (form/JSON field or HTTP Basic). @default false
   */
  public?: boolean;
}

/** A registered application; `clientSecret` is returned only here, once (it is stored as a hash). */
export interface RegisteredOAuthApp {
  /** The `client_id` to send to the OAuth endpoints. */
  clientId: string;
  /** The `client_secret` of a confidential app (absent for public apps, which rely on PKCE alone). */
  clientSecret?: string;
  /** The name shown on the consent page. */
  name: string;
  /** Redirect URIs the app may use (exact match; the `urn:ietf:wg:oauth:2.0:oob` URIs are always allowed). */
  redirectUris: string[];
  /** Whether the app may request `access_type: offline` and so receive refresh tokens. */
  offline: boolean;
}

/**
 * The official libraries' public client ids (client-libraries.md §3.1). They are pre-registered as public,
 * offline-capable applications so the unmodified Python and R clients get refresh tokens from the emulator,
 * as they do from redivis.com.
 */
export const OFFICIAL_CLIENTS: readonly RegisterOAuthAppInput[] = [
  { name: 'Redivis Python client', clientId: '7YGtYWuQot1TEe0pHB3EPSj5', public: true },
  { name: 'Redivis R client', clientId: 'Ah850nGnQg5mFWd25nkyk9Y3', public: true },
];

/** Registers an OAuth application in the emulator (programmatic equivalent of Redivis' app registration). */
export async function registerOAuthApp(
  ctx: Pick<EmulatorContext, 'db' | 'now'>,
  input: RegisterOAuthAppInput,
): Promise<RegisteredOAuthApp> {
  const name = input.name.trim();
  if (!name) throw new TypeError('An OAuth application needs a name');
  const redirectUris = [...(input.redirectUris ?? [])];
  for (const uri of redirectUris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new TypeError(`Invalid redirect URI: ${uri}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new TypeError(`Redirect URIs must be http(s): ${uri}`);
    if (url.hash) throw new TypeError(`Redirect URIs must not have a fragment: ${uri}`);
  }
  const clientId = input.clientId ?? randomSecret(18);
  if (!/^[A-Za-z0-9._~-]{8,128}$/.test(clientId))
    throw new TypeError('A client id is 8–128 URL-safe characters');
  if (await findApp(ctx, clientId))
    throw new TypeError(`An application with client id ${clientId} already exists`);
  const clientSecret = input.public ? undefined : randomSecret(32);
  const offline = input.offline ?? true;
  await insertApp(ctx, {
    client_id: clientId,
    name,
    secret_hash: clientSecret === undefined ? null : hashToken(clientSecret),
    redirect_uris: JSON.stringify(redirectUris),
    allow_offline: offline,
    created_at: ctx.now(),
  });
  const app: RegisteredOAuthApp = { clientId, name, redirectUris, offline };
  if (clientSecret !== undefined) app.clientSecret = clientSecret;
  return app;
}

/** Registers the {@link OFFICIAL_CLIENTS} that are missing (runs at every start). */
export async function ensureOfficialClients(ctx: Pick<EmulatorContext, 'db' | 'now'>): Promise<void> {
  for (const client of OFFICIAL_CLIENTS) {
    if (!(await findApp(ctx, client.clientId as string))) await registerOAuthApp(ctx, client);
  }
}

/** The redirect URIs registered for an app. */
export function appRedirectUris(app: OAuthAppRow): string[] {
  return JSON.parse(app.redirect_uris) as string[];
}

/** The registered app for a client id; unknown ids count as "no registered client" (session-only tokens). */
export async function lookupClient(
  ctx: EmulatorContext,
  clientId: string | undefined,
): Promise<OAuthAppRow | null> {
  return clientId ? ((await findApp(ctx, clientId)) ?? null) : null;
}

function basicCredentials(c: Context): { id: string; secret: string } | undefined {
  const header = c.req.header('authorization');
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError(401, 'invalid_client', 'Malformed HTTP Basic client credentials.');
  // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
  return {
    id: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
    secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
  };
}

/**
 * Identifies the client at the token endpoint (RFC 6749 §2.3): HTTP Basic or `client_id` (+ `client_secret`).
 * Confidential apps must present their secret (401 `invalid_client` otherwise); public apps and unknown ids need
 * none. Returns the registered app or null.
 */
export async function authenticateClient(
  ctx: EmulatorContext,
  c: Context,
  params: Record<string, string>,
): Promise<OAuthAppRow | null> {
  const basic = basicCredentials(c);
  const clientId = basic?.id ?? params.client_id;
  if (basic && params.client_id && params.client_id !== basic.id) {
    throw new OAuthError(400, 'invalid_request', 'client_id does not match the HTTP Basic credentials.');
  }
  const app = await lookupClient(ctx, clientId);
  const secret = basic?.secret ?? params.client_secret;
  if (app?.secret_hash) {
    if (secret === undefined || !safeEqual(hashToken(secret), app.secret_hash)) {
      throw new OAuthError(401, 'invalid_client', 'Client authentication failed.');
    }
  } else if (basic && !app) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed.');
  }
  return app;
}
