// The scope × endpoint matrix (spec §3.1, §2.3): every endpoint the emulator serves under /api/v1 is called with
// a token holding exactly the scope it needs (2xx), tokens lacking it (403 insufficient_scope naming the scopes),
// no token (401, or 404 where the resource is invisible) and a revoked token (401). Refused mutations are shown
// to change nothing by reading the resource back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { type EndpointCase, groupsOf, minimalScopes, type Prepared, QUERY_CASES } from './authz-cases.js';
import { DATASET_CASES } from './authz-dataset-cases.js';
import { FILE_CASES } from './authz-file-cases.js';
import { ORG_CASES } from './authz-org-cases.js';
import { TABLE_CASES } from './authz-table-cases.js';
import { UPLOAD_CASES } from './authz-upload-cases.js';
import { SECRET_CASES, WORKFLOW_CASES } from './authz-workflow-cases.js';
import { type AuthzFixture, allScopesExcept, type Reply, startAuthzFixture } from './authz-helpers.js';

const ALL_CASES: EndpointCase[] = [
  ...DATASET_CASES,
  ...TABLE_CASES,
  ...ORG_CASES,
  ...QUERY_CASES,
  ...WORKFLOW_CASES,
  ...SECRET_CASES,
  ...FILE_CASES,
  ...UPLOAD_CASES,
];

let f: AuthzFixture;
beforeAll(async () => {
  f = await startAuthzFixture();
});
afterAll(async () => {
  await f?.stop();
});

/** 403 insufficient_scope whose `scope` names one of `groups` (the one the token lacks). */
function expectInsufficientScope(r: Reply, groups: string[][]): void {
  expect(r.status, r.text).toBe(403);
  expect(r.body).toMatchObject({ error: 'insufficient_scope', status: 403 });
  expect(groups.map((g) => g.join(' '))).toContain((r.body as { scope?: string }).scope);
}

function expectInvalidToken(r: Reply): void {
  expect(r.status, r.text).toBe(401);
  expect(r.body).toMatchObject({ error: 'invalid_token', status: 401 });
}

/**
 * One prepared resource per case for all its refusals and read-only calls (they change nothing, so they can share
 * it, even concurrently), with its state read before any of them. Successful mutations prepare their own.
 */
const forRefusals = new Map<EndpointCase, Promise<{ p: Prepared; before: unknown }>>();
function refusalTarget(c: EndpointCase) {
  let t = forRefusals.get(c);
  if (!t) {
    t = c.prepare(f).then(async (p) => ({ p, before: await p.readBack?.() }));
    forRefusals.set(c, t);
  }
  return t;
}

/** Sends the case's request with `token`, asserting the resource reads back unchanged afterwards. */
async function refused(c: EndpointCase, token: string | undefined): Promise<Reply> {
  const { p, before } = await refusalTarget(c);
  const r = await f.call({ method: c.method, path: p.path, body: p.body, token });
  if (p.readBack) expect(await p.readBack()).toEqual(before);
  return r;
}

function expect2xx(r: Reply): void {
  expect(r.status, r.text).toBeGreaterThanOrEqual(200);
  expect(r.status, r.text).toBeLessThan(300);
}

const title = (c: EndpointCase) => `${c.op}: ${c.method} ${c.route}`;
const refusing = ALL_CASES.filter((c) => c.anyOf.length > 0 && !c.reveals);
const lists = ALL_CASES.filter((c) => c.reveals);
const open = ALL_CASES.filter((c) => c.anyOf.length === 0);

describe.concurrent.each(refusing.map((c) => [title(c), c] as const))('%s', (_, c) => {
  it(`succeeds for ${c.user} with exactly ${minimalScopes(c).join(' + ')}`, async () => {
    const p = await c.prepare(f);
    const token = await f.token(c.user, minimalScopes(c));
    expect2xx(await f.call({ method: c.method, path: p.path, body: p.body, token }));
  });

  it.each(
    groupsOf(c).map((g) => [g.join(' | ')]),
  )('refuses a token holding every scope but %s', async (g) => {
    const r = await refused(c, await f.token(c.user, allScopesExcept(g.split(' | '))));
    expectInsufficientScope(r, [g.split(' | ')]);
  });

  it('refuses a public-only token with insufficient_scope', async () => {
    expectInsufficientScope(await refused(c, await f.token(c.user, ['public'])), groupsOf(c));
  });

  it(`answers ${c.anonymous} without a token`, async () => {
    const r = await refused(c, undefined);
    if (c.anonymous === 401) expectInvalidToken(r);
    else expect(r.body).toMatchObject({ error: 'not_found', status: 404 });
  });

  it('answers 401 to a revoked token that had the scope', async () => {
    expectInvalidToken(await refused(c, await f.revoked(c.user, groupsOf(c).flat())));
  });

  if (c.method === 'GET') {
    it('puts the insufficient_scope refusal of a HEAD in X-Redivis-Error-Payload', async () => {
      const { p } = await refusalTarget(c);
      const r = await f.call({ method: 'HEAD', path: p.path, token: await f.token(c.user, ['public']) });
      expect(r.status).toBe(403);
      const payload = JSON.parse(decodeURIComponent(r.headers.get('x-redivis-error-payload') ?? '{}'));
      expect(payload).toMatchObject({ error: 'insufficient_scope', scope: c.anyOf.join(' ') });
      expect(r.text).toBe('');
    });
  }
});

describe.concurrent.each(lists.map((c) => [title(c), c] as const))('%s (filtered list)', (_, c) => {
  const shows = async (token: string | undefined) => {
    const { p } = await refusalTarget(c);
    const r = await f.call({ method: c.method, path: p.path, token });
    expect2xx(r);
    return c.reveals?.(r.body, p);
  };
  it(`shows ${c.user}'s private entry with exactly ${c.anyOf[0]}`, async () => {
    expect(await shows(await f.token(c.user, [c.anyOf[0] as string]))).toBe(true);
  });
  it('hides it from a token holding every other scope, a public-only token and anonymous callers', async () => {
    expect(await shows(await f.token(c.user, allScopesExcept(c.anyOf)))).toBe(false);
    expect(await shows(await f.token(c.user, ['public']))).toBe(false);
    expect(await shows(undefined)).toBe(false);
  });
  it('answers 401 to a revoked token that had the scope', async () => {
    const { p } = await refusalTarget(c);
    expectInvalidToken(
      await f.call({ method: c.method, path: p.path, token: await f.revoked(c.user, c.anyOf) }),
    );
  });
});

describe.concurrent.each(open.map((c) => [title(c), c] as const))('%s (no scope needed)', (_, c) => {
  it(`succeeds for ${c.user} with a public-only token`, async () => {
    const { p } = await refusalTarget(c);
    expect2xx(
      await f.call({
        method: c.method,
        path: p.path,
        body: p.body,
        token: await f.token(c.user, ['public']),
      }),
    );
  });
  it(`answers ${c.anonymous} without a token`, async () => {
    const { p } = await refusalTarget(c);
    const r = await f.call({ method: c.method, path: p.path, body: p.body });
    if (c.anonymous === 'ok') expect2xx(r);
    else if (c.anonymous === 401) expectInvalidToken(r);
    else expect(r.status).toBe(404);
  });
  it('answers 401 to a revoked token', async () => {
    expectInvalidToken(await refused(c, await f.revoked(c.user, ['public'])));
  });
});

/** `/a/:x/b` → `/a/:/b`: parameter names do not matter for coverage. */
const shape = (path: string) => path.replace(/:[^/]+/g, ':');

describe('coverage', () => {
  it('has a matrix case for every route served under /api/v1', () => {
    const served = new Set(
      createApp(f.emu.ctx)
        .routes.filter((r) => r.path.startsWith('/api/v1/') && !r.path.endsWith('*'))
        .filter((r) => ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(r.method))
        .map((r) => `${r.method} ${shape(r.path.slice('/api/v1'.length))}`),
    );
    const covered = new Set(ALL_CASES.map((c) => `${c.method} ${shape(c.route)}`));
    expect([...served].filter((r) => !covered.has(r)).sort()).toEqual([]);
    expect([...covered].filter((r) => !served.has(r)).sort()).toEqual([]);
  });
});
