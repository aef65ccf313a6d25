// A small OAuth 2.0 authorization server speaking the Redivis wire protocol (rest-api.md §3.3), for tests:
// auto-approving /oauth/authorize, /oauth/device_authorization, /oauth/token with every grant and error code, and
// an /api/v1/me endpoint that checks bearer tokens. Tokens are HS256 JWTs carrying `scope` and `expires_at`.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the server received, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  query: Record<string, string>;
  body: Record<string, unknown>;
}

/** Knobs a test can turn at any time. */
export interface OAuthServerBehaviour {
  /** Lifetime of issued access tokens, seconds. */
  tokenLifetime: number;
  /** Issue refresh tokens when `access_type=offline` (device) or always (authorization code). */
  issueRefreshTokens: boolean;
  /** Errors returned, in order, by the next device-code polls before the device's real state is consulted. */
  pollScript: string[];
  /** What visiting the verification URL does. */
  deviceDecision: 'approve' | 'deny';
  /** The `interval` the device authorization response carries (seconds; null as the real clients tolerate). */
  deviceInterval: number | null;
  /** Answer every device-code poll with `expired_token`. */
  deviceCodesExpire: boolean;
  /** What /oauth/authorize does. */
  authorizeDecision: 'approve' | 'deny';
  /** Return a different `state` from /oauth/authorize than the one sent. */
  tamperState: boolean;
  /** Reject every refresh_token grant with `invalid_grant`. */
  rejectRefresh: boolean;
  /** Scopes the user never grants: device approvals leave them out. */
  withheldScopes: string[];
  /** Access tokens /api/v1/me rejects with 401 although they are valid (revoked server-side). */
  revoked: Set<string>;
  /** Echo this text inside every error_description (to check the client redacts what it knows). */
  echoInErrors?: (body: Record<string, unknown>) => string;
}

/** A running test authorization server. */
export interface TestOAuthServer {
  origin: string;
  behaviour: OAuthServerBehaviour;
  requests: RecordedRequest[];
  /** Every access token issued, in order. */
  issued: string[];
  /** Extra routes (served before the OAuth ones); return true when handled. */
  route?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
  countOf(path: string): number;
  /** Forgets recorded requests and issued tokens, drops `route` and restores the default behaviour. */
  reset(): void;
  close(): Promise<void>;
}

const SECRET = randomBytes(32);
const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function signJwt(payload: Record<string, unknown>): string {
  const head = `${b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64u(JSON.stringify(payload))}`;
  return `${head}.${b64u(createHmac('sha256', SECRET).update(head).digest())}`;
}

/** Verifies a token this server issued; returns its payload or undefined. */
export function verifyJwt(token: string): { scope: string; expires_at: number } | undefined {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return undefined;
  const expected = b64u(createHmac('sha256', SECRET).update(`${h}.${p}`).digest());
  if (expected !== s) return undefined;
  return JSON.parse(Buffer.from(p, 'base64url').toString());
}

const challengeOf = (verifier: string) => b64u(createHash('sha256').update(verifier).digest());

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  if (!text) return {};
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

interface Pending {
  challenge: string;
  scope: string;
  clientId?: string;
  redirectUri?: string;
  state: 'pending' | 'approved' | 'denied';
  offline: boolean;
}

function defaultBehaviour(): OAuthServerBehaviour {
  return {
    tokenLifetime: 3600,
    issueRefreshTokens: true,
    pollScript: [],
    deviceDecision: 'approve',
    deviceInterval: null,
    deviceCodesExpire: false,
    authorizeDecision: 'approve',
    tamperState: false,
    rejectRefresh: false,
    revoked: new Set(),
    withheldScopes: [],
  };
}

/** Starts the server on 127.0.0.1, port 0. */
export async function startOAuthServer(): Promise<TestOAuthServer> {
  const codes = new Map<string, Pending>();
  const devices = new Map<string, Pending & { userCode: string }>();
  const refreshTokens = new Map<string, string>(); // refresh token → scope

  const server: TestOAuthServer = {
    origin: '',
    behaviour: defaultBehaviour(),
    requests: [],
    issued: [],
    countOf: (path) => server.requests.filter((r) => r.path === path).length,
    reset() {
      server.requests.length = 0;
      server.issued.length = 0;
      server.route = undefined;
      server.behaviour = defaultBehaviour();
    },
    close: () =>
      new Promise((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
  const b = () => server.behaviour;

  const oauthError = (res: ServerResponse, status: number, error: string, body: Record<string, unknown>) =>
    send(res, status, { error, error_description: `${error}${b().echoInErrors?.(body) ?? ''}`, status });

  function issue(res: ServerResponse, scope: string, withRefresh: boolean) {
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + b().tokenLifetime;
    const accessToken = signJwt({
      sub: 'test-user',
      scope,
      expires_at: expiresAt,
      iat: now,
      jti: b64u(randomBytes(8)),
    });
    server.issued.push(accessToken);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      expires_in: b().tokenLifetime,
      expires_at: expiresAt,
      token_type: 'Bearer',
      scope,
    };
    if (withRefresh && b().issueRefreshTokens) {
      const refresh = b64u(randomBytes(24));
      refreshTokens.set(refresh, scope);
      body.refresh_token = refresh;
    }
    send(res, 200, body);
  }

  function tokenGrant(res: ServerResponse, body: Record<string, unknown>, authorization: string | undefined) {
    const grant = body.grant_type;
    if (grant === 'authorization_code') {
      const entry = codes.get(String(body.code));
      codes.delete(String(body.code));
      if (!entry) return oauthError(res, 400, 'invalid_grant', body);
      if (typeof body.code_verifier !== 'string' || challengeOf(body.code_verifier) !== entry.challenge)
        return oauthError(res, 400, 'invalid_grant', body);
      if (body.redirect_uri !== entry.redirectUri) return oauthError(res, 400, 'invalid_grant', body);
      return issue(res, entry.scope, true);
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      const device = devices.get(String(body.device_code));
      if (!device || device.clientId !== body.client_id) return oauthError(res, 400, 'invalid_grant', body);
      if (typeof body.code_verifier !== 'string' || challengeOf(body.code_verifier) !== device.challenge)
        return oauthError(res, 400, 'invalid_grant', body);
      const scripted = b().pollScript.shift();
      if (scripted) return oauthError(res, 400, scripted, body);
      if (b().deviceCodesExpire) return oauthError(res, 400, 'expired_token', body);
      if (device.state === 'pending') return oauthError(res, 400, 'authorization_pending', body);
      if (device.state === 'denied') return oauthError(res, 400, 'access_denied', body);
      devices.delete(String(body.device_code));
      // An upgrade poll carries the old token: the new grant keeps what it had.
      const old = authorization?.startsWith('Bearer ') ? verifyJwt(authorization.slice(7)) : undefined;
      const scope = [...new Set([...(old?.scope.split(' ') ?? []), ...device.scope.split(' ')])]
        .filter((sc) => !b().withheldScopes.includes(sc))
        .join(' ');
      return issue(res, scope, device.offline);
    }
    if (grant === 'refresh_token') {
      const scope = refreshTokens.get(String(body.refresh_token));
      if (scope === undefined || b().rejectRefresh) return oauthError(res, 400, 'invalid_grant', body);
      return issue(res, scope, false);
    }
    return oauthError(res, 400, 'unsupported_grant_type', body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', server.origin);
    if (server.route && (await server.route(req, res, url))) return;
    const body = req.method === 'POST' ? await readBody(req) : {};
    server.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      query: Object.fromEntries(url.searchParams),
      body,
    });
    const q = url.searchParams;
    if (url.pathname === '/oauth/authorize' && req.method === 'GET') {
      const redirectUri = q.get('redirect_uri') ?? '';
      if (
        q.get('response_type') !== 'code' ||
        q.get('code_challenge_method') !== 'S256' ||
        !q.get('code_challenge')
      )
        return oauthError(res, 400, 'invalid_request', {});
      const code = b64u(randomBytes(16));
      codes.set(code, {
        challenge: q.get('code_challenge')!,
        scope: q.get('scope') ?? '',
        redirectUri,
        state: 'approved',
        offline: true,
      });
      const state = b().tamperState ? 'not-your-state' : (q.get('state') ?? '');
      const result =
        b().authorizeDecision === 'approve' ? { code, state } : { error: 'access_denied', state };
      if (redirectUri === 'urn:ietf:wg:oauth:2.0:oob:auto') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(
          `<!doctype html><script>window.opener.postMessage(${JSON.stringify(JSON.stringify(result))}, '*');</script>`,
        );
      }
      if (redirectUri === 'urn:ietf:wg:oauth:2.0:oob') return send(res, 200, result);
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(result)) target.searchParams.set(k, v);
      res.writeHead(302, { location: target.toString() });
      return res.end();
    }
    if (url.pathname === '/oauth/device_authorization' && req.method === 'POST') {
      const deviceCode = b64u(randomBytes(16));
      const userCode = randomBytes(4).toString('hex').toUpperCase();
      devices.set(deviceCode, {
        challenge: String(body.code_challenge),
        scope: String(body.scope ?? ''),
        clientId: String(body.client_id),
        state: 'pending',
        offline: body.access_type === 'offline',
        userCode,
      });
      return send(res, 200, {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: `${server.origin}/device`,
        verification_uri_complete: `${server.origin}/device?user_code=${userCode}`,
        expires_in: 600,
        interval: b().deviceInterval,
      });
    }
    if (url.pathname === '/device' && req.method === 'GET') {
      const device = [...devices.values()].find((d) => d.userCode === q.get('user_code'));
      if (!device) return send(res, 404, { error: 'not_found' });
      device.state = b().deviceDecision === 'approve' ? 'approved' : 'denied';
      return send(res, 200, { ok: true });
    }
    if (url.pathname === '/oauth/token' && req.method === 'POST')
      return tokenGrant(res, body, req.headers.authorization);
    if (url.pathname === '/api/v1/me') {
      const auth = req.headers.authorization;
      const claims = auth?.startsWith('Bearer ') ? verifyJwt(auth.slice(7)) : undefined;
      if (!claims || claims.expires_at < Date.now() / 1000 || b().revoked.has(auth!.slice(7)))
        return oauthError(res, 401, 'invalid_token', {});
      const need = q.get('need');
      if (need && !claims.scope.split(' ').includes(need))
        return send(res, 403, {
          error: 'insufficient_scope',
          error_description: 'more scope needed',
          scope: need,
          status: 403,
        });
      return send(res, 200, { kind: 'user', scope: claims.scope });
    }
    send(res, 404, { error: 'not_found', error_description: `No route ${url.pathname}`, status: 404 });
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 500, { error: 'internal_error', error_description: String(error) }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}
