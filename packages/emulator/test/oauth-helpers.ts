// Shared by the OAuth test files: an emulator with a movable clock, PKCE pairs, and a cookie-carrying HTTP
// client that signs in and answers consent forms through the same pages a browser uses.
import { createHash, randomBytes } from 'node:crypto';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import type { OAuthOptions } from '../src/oauth/config.js';

/** The device-code grant type (RFC 8628 §3.4). */
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** A started emulator plus a clock the test can move forward. */
export interface TestEmulator {
  emu: RunningEmulator;
  origin: string;
  /** Moves the emulator's clock forward. */
  advance(ms: number): void;
}

/** Starts the demo emulator (small data) whose clock the test controls. */
export async function startTestEmulator(oauth?: OAuthOptions): Promise<TestEmulator> {
  let offset = 0;
  const emu = await startEmulator({
    seed: 'demo',
    seedRows: 20,
    now: () => Date.now() + offset,
    ...(oauth ? { oauth } : {}),
  });
  return {
    emu,
    origin: emu.origin,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The value of a named input in an HTML page. */
export function inputValue(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match) throw new Error(`No input named ${name} on the page`);
  return match[1] as string;
}

/** A minimal browser-like HTTP client: keeps cookies, never follows redirects. */
export class CookieClient {
  readonly #cookies = new Map<string, string>();
  /** Mutable so a test can follow an emulator restarted on another port (cookies ignore ports anyway). */
  constructor(public origin: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size) {
      headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const res = await fetch(new URL(path, this.origin), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = (pair as string).indexOf('=');
      const name = (pair as string).slice(0, eq);
      const value = (pair as string).slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return res;
  }

  /** Posts an HTML form. */
  postForm(path: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(path, { method: 'POST', body: new URLSearchParams(fields) });
  }

  /** Signs in as `userName` through the login form. */
  async signIn(userName: string): Promise<void> {
    const page = await (await this.fetch('/login')).text();
    const res = await this.postForm('/login', {
      username: userName,
      next: '/settings/tokens',
      login_csrf: inputValue(page, 'login_csrf'),
    });
    if (res.status !== 302) throw new Error(`sign-in failed with ${res.status}`);
  }

  /** Opens an authorize URL and answers the consent form; returns the (unfollowed) response. */
  async decide(authorizeQuery: Record<string, string>, decision: 'approve' | 'deny'): Promise<Response> {
    const consent = await this.fetch(`/oauth/authorize?${new URLSearchParams(authorizeQuery)}`);
    if (consent.status !== 200) throw new Error(`consent page answered ${consent.status}`);
    const csrf = inputValue(await consent.text(), 'csrf_token');
    return this.postForm('/oauth/authorize', { ...authorizeQuery, csrf_token: csrf, decision });
  }

  /** Opens a device verification page and answers its form; returns the page and the (unfollowed) response. */
  async decideDevice(
    pagePath: string,
    decision: 'approve' | 'deny',
  ): Promise<{ page: string; res: Response }> {
    const page = await (await this.fetch(pagePath)).text();
    const res = await this.postForm('/oauth/device', {
      user_code: inputValue(page, 'user_code'),
      csrf_token: inputValue(page, 'csrf_token'),
      decision,
    });
    return { page, res };
  }
}

/** An OAuth endpoint's answer: status and parsed JSON body. */
export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs to the token endpoint as JSON or form, returning status and parsed body. */
export function postToken(
  origin: string,
  body: Record<string, string>,
  encoding: 'json' | 'form' = 'form',
  headers: Record<string, string> = {},
): Promise<OAuthAnswer> {
  return postOAuth(`${origin}/oauth/token`, encoding === 'json' ? body : new URLSearchParams(body), headers);
}

/** POSTs to the device authorization endpoint as a form (string fields) or JSON (any values). */
export function postDeviceAuthorization(
  origin: string,
  body: Record<string, unknown>,
  encoding: 'json' | 'form' = 'form',
): Promise<OAuthAnswer> {
  const sent = encoding === 'json' ? body : new URLSearchParams(body as Record<string, string>);
  return postOAuth(`${origin}/oauth/device_authorization`, sent);
}

async function postOAuth(
  url: string,
  body: URLSearchParams | Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<OAuthAnswer> {
  const form = body instanceof URLSearchParams;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      ...headers,
    },
    body: form ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Decodes a JWT payload the way the official clients do (no verification). */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));
}

/** 404 from an unknown API path means the token authenticated; a bad token gets 401. */
export async function probeStatus(apiUrl: string, token: string | undefined): Promise<number> {
  return (await fetch(`${apiUrl}/oauth-probe`, { headers: { Authorization: `Bearer ${token}` } })).status;
}
