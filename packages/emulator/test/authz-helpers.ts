// Shared by the authorization tests: one demo emulator, tokens minted through the emulator's own token store
// (src/auth/tokens.ts) with exactly the scopes a test asks for, and a plain-fetch client that never throws.
import { ALL_SCOPES } from '../src/auth/levels.js';
import { createApiToken, revokeApiToken } from '../src/auth/tokens.js';
import { type RunningEmulator, startEmulator } from '../src/index.js';

/** Users of the demo seed plus `carol`, who belongs to no organization and has no grants. */
export type TestUser = 'demo_admin' | 'alice' | 'bob' | 'carol';

/** What a call returned: status, parsed JSON (or text) body, headers. */
export interface Reply {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

/** A request: method, path under /api/v1, optional body (JSON, or FormData/Blob sent as is) and bearer token. */
export interface Call {
  method: string;
  path: string;
  body?: unknown;
  token?: string | undefined;
}

/** The started emulator and helpers bound to it. */
export interface AuthzFixture {
  emu: RunningEmulator;
  /** An API token for `user` with exactly `scopes` (plus `public`); equal requests share one. */
  token(user: TestUser, scopes: readonly string[]): Promise<string>;
  /** A token of `user` holding every scope (cached): for setup and read-backs. */
  full(user: TestUser): Promise<string>;
  /** A token that was valid (with `scopes`) and has been revoked. */
  revoked(user: TestUser, scopes: readonly string[]): Promise<string>;
  call(req: Call): Promise<Reply>;
  /** `call` that fails the test unless the reply is 2xx; returns the JSON body. */
  ok<T = Record<string, unknown>>(req: Call): Promise<T>;
  /** A name no other test uses. */
  unique(prefix: string): string;
  stop(): Promise<void>;
}

/** Every scope except `without` (and `public`, which every token has anyway). */
export function allScopesExcept(without: readonly string[]): string[] {
  return ALL_SCOPES.filter((s) => s !== 'public' && !without.includes(s));
}

/** Starts the demo emulator (seedRows 200) and adds the non-member user `carol`. */
export async function startAuthzFixture(): Promise<AuthzFixture> {
  const emu = await startEmulator({ seed: 'demo', seedRows: 200, rateLimit: false });
  await emu.ctx.db.run('INSERT INTO users VALUES (?, ?, ?, ?, NULL, ?)', [
    'user-carol-not-a-member',
    'carol',
    'Carol Outsider',
    'carol@example.com',
    emu.ctx.now(),
  ]);
  // A private workflow of the organization that only alice (view) and the admins can see.
  await emu.ctx.db.run(
    `INSERT INTO workflows VALUES ('wf-org-private', 'opwf', 'organization', (SELECT id FROM organizations
       WHERE name = 'demo'), 'Org private workflow', '', 'none', ?, ?, NULL)`,
    [emu.ctx.now(), emu.ctx.now()],
  );
  await emu.ctx.db.run(
    "INSERT INTO workflow_access VALUES ('wf-org-private', (SELECT id FROM users WHERE name = 'alice'), 'view')",
  );
  let counter = 0;
  // Tokens are only ever revoked through `revoked`, so equal requests can share one.
  const tokens = new Map<string, Promise<string>>();
  const token = (user: TestUser, scopes: readonly string[]) => {
    const key = `${user} ${[...scopes].sort().join(' ')}`;
    let t = tokens.get(key);
    if (!t) {
      counter += 1;
      t = createApiToken(emu.ctx, { userName: user, name: `authz ${counter}`, scopes }).then((r) => r.value);
      tokens.set(key, t);
    }
    return t;
  };
  const call = async ({ method, path, body, token: bearer }: Call): Promise<Reply> => {
    const headers: Record<string, string> = {};
    if (bearer !== undefined) headers.Authorization = `Bearer ${bearer}`;
    // A FormData body (multipart uploads) or a Blob (raw file bytes) goes as is; fetch sets its Content-Type.
    const raw = body instanceof FormData || body instanceof Blob;
    if (body !== undefined && !raw) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: raw ? body : JSON.stringify(body) }),
    });
    const text = method === 'HEAD' ? '' : await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: NDJSON rows, Arrow bytes or "OK".
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return {
    emu,
    token,
    full: (user) => token(user, ALL_SCOPES),
    async revoked(user, scopes) {
      counter += 1;
      const { token: info, value } = await createApiToken(emu.ctx, {
        userName: user,
        name: `authz revoked ${counter}`,
        scopes,
      });
      await revokeApiToken(emu.ctx, info.id);
      return value;
    },
    call,
    async ok<T>(req: Call): Promise<T> {
      const r = await call(req);
      if (r.status < 200 || r.status > 299) {
        throw new Error(`${req.method} ${req.path} → ${r.status}: ${r.text.slice(0, 300)}`);
      }
      return r.body as T;
    },
    unique(prefix) {
      counter += 1;
      return `${prefix}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
    },
    stop: () => emu.stop(),
  };
}

/** Encodes a reference as one path segment, as the official clients do. */
export const seg = (ref: string): string => encodeURIComponent(ref);
