// Per-dataset access levels (spec §3.1, §2.3, §3.4), with tokens holding every scope so that only the user's
// level decides: bob (metadata on demo.restricted_survey) reads metadata but no rows; alice (data) reads rows; the
// non-member carol and anonymous callers see 404; writes need edit access even with data.edit; refused writes
// change nothing; public data (demo.iris_species) is readable by anyone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../src/oauth/jwt.js';
import { DEMO_USERS } from '../src/seed/users.js';
import { type AuthzFixture, type Reply, seg, startAuthzFixture, type TestUser } from './authz-helpers.js';

let f: AuthzFixture;
beforeAll(async () => {
  f = await startAuthzFixture();
});
afterAll(async () => {
  await f?.stop();
});

const RESTRICTED = 'demo.restricted_survey';
const RESPONSES = `/tables/${seg(`${RESTRICTED}.responses`)}`;
const IRIS = `/tables/${seg('demo.iris_species.iris')}`;

const as = async (user: TestUser | null, method: string, path: string, body?: unknown): Promise<Reply> =>
  f.call({ method, path, body, token: user ? await f.full(user) : undefined });

function expectError(r: Reply, status: number, error: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.body).toMatchObject({ error, status });
}

const METADATA_READS = [
  `/datasets/${seg(RESTRICTED)}`,
  RESPONSES,
  `${RESPONSES}/variables`,
  `${RESPONSES}/variables/age`,
];
const query = (table: string) => ({ query: `SELECT count(*) AS n FROM ${table}` });

describe('a restricted dataset: bob has metadata access, alice data access', () => {
  it.each(METADATA_READS)('bob reads %s', async (path) => {
    expect((await as('bob', 'GET', path)).status).toBe(200);
  });

  it('bob gets 403 forbidden for rows and read sessions, and his query fails with Access Denied', async () => {
    expectError(await as('bob', 'GET', `${RESPONSES}/rows`), 403, 'forbidden');
    expectError(await as('bob', 'POST', `${RESPONSES}/readSessions`, {}), 403, 'forbidden');
    const q = await as('bob', 'POST', '/queries', query(`${RESTRICTED}.responses`));
    expect(q.body).toMatchObject({ status: 'failed', errorMessage: expect.stringMatching(/Access Denied/) });
  });

  it('alice reads rows, read streams and query results', async () => {
    const rows = await as('alice', 'GET', `${RESPONSES}/rows?maxResults=5`);
    expect(rows.status).toBe(200);
    expect(rows.text.trim().split('\n')).toHaveLength(5);
    const session = await as('alice', 'POST', `${RESPONSES}/readSessions`, {});
    const streamId = (session.body as { streams: Array<{ id: string }> }).streams[0]?.id as string;
    const stream = await as('alice', 'GET', `/readStreams/${streamId}`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const q = await as('alice', 'POST', '/queries', query(`${RESTRICTED}.responses`));
    expect(q.body).toMatchObject({ status: 'completed', outputNumRows: 1 });
  });

  it('shows the export restrictions, and canDownload only to editors (spec §3.4)', async () => {
    const dataset = (await as('alice', 'GET', `/datasets/${seg(RESTRICTED)}`)).body;
    expect(dataset).toMatchObject({ exportRestrictions: { requiresApproval: true } });
    expect((await as('alice', 'GET', RESPONSES)).body).toMatchObject({ canDownload: false });
    expect((await as('demo_admin', 'GET', RESPONSES)).body).toMatchObject({ canDownload: true });
  });

  it.each([
    ...METADATA_READS,
    `${RESPONSES}/rows`,
  ])('a non-member and an anonymous caller get 404 for %s', async (path) => {
    expectError(await as('carol', 'GET', path), 404, 'not_found');
    expectError(await as(null, 'GET', path), 404, 'not_found');
  });

  it('hides it from non-members in lists, read sessions and queries', async () => {
    const list = (await as('carol', 'GET', '/organizations/demo/datasets')).body as {
      results: Array<{ name: string }>;
    };
    expect(list.results.map((d) => d.name)).not.toContain('Restricted survey');
    expectError(await as('carol', 'POST', `${RESPONSES}/readSessions`, {}), 404, 'not_found');
    const q = await as('carol', 'POST', '/queries', query(`${RESTRICTED}.responses`));
    expect(q.body).toMatchObject({ status: 'failed', errorMessage: expect.stringMatching(/Not found/) });
  });
});

describe('writes need edit access as well as data.edit', () => {
  const writes = (label: string): Array<[string, string, unknown]> => [
    ['PATCH', `/datasets/${seg(RESTRICTED)}`, { description: label }],
    ['PATCH', `${RESPONSES}/variables/age`, { label }],
    ['PATCH', RESPONSES, { description: label }],
    ['POST', `/datasets/${seg('demo.versioned_dataset:next')}/tables`, { name: label }],
    ['DELETE', RESPONSES, undefined],
  ];

  it.each([
    ['alice', 403, 'forbidden'],
    ['bob', 403, 'forbidden'],
    ['carol', 404, 'not_found'],
  ] as const)('%s is refused with %i and nothing changes', async (user, status, error) => {
    const before = await Promise.all(
      [`/datasets/${seg(RESTRICTED)}`, RESPONSES, `${RESPONSES}/variables/age`].map(
        async (p) => (await as('demo_admin', 'GET', p)).body,
      ),
    );
    const versionedTables = (
      await as('demo_admin', 'GET', `/datasets/${seg('demo.versioned_dataset:next')}/tables`)
    ).body;
    for (const [method, path, body] of writes(f.unique('refused'))) {
      const r = await as(user, method, path, body);
      // demo.versioned_dataset is public at overview level: visible to everyone, so a refusal is 403.
      if (path.includes('versioned')) expectError(r, 403, 'forbidden');
      else expectError(r, status, error);
    }
    const after = await Promise.all(
      [`/datasets/${seg(RESTRICTED)}`, RESPONSES, `${RESPONSES}/variables/age`].map(
        async (p) => (await as('demo_admin', 'GET', p)).body,
      ),
    );
    expect(after).toEqual(before);
    expect(
      (await as('demo_admin', 'GET', `/datasets/${seg('demo.versioned_dataset:next')}/tables`)).body,
    ).toEqual(versionedTables);
  });
});

describe('private resources of other users', () => {
  it("another user's query is 404 and another user's read stream is 403", async () => {
    const q = (await as('alice', 'POST', '/queries', query('demo.iris_species.iris'))).body as { id: string };
    expectError(await as('bob', 'GET', `/queries/${q.id}`), 404, 'not_found');
    const s = (
      await as('alice', 'POST', `/tables/${seg('demo.weather_sample.daily_observations')}/readSessions`, {})
    ).body as { streams: Array<{ id: string }> };
    expectError(await as('bob', 'GET', `/readStreams/${s.streams[0]?.id}`), 403, 'forbidden');
  });

  it('a visible dataset read above the caller level is 401 anonymous, 403 for a signed-in user', async () => {
    const vars = `/tables/${seg('demo.weather_sample.stations')}/variables`;
    expect((await as(null, 'GET', `/datasets/${seg('demo.weather_sample')}`)).status).toBe(200);
    expectError(await as(null, 'GET', vars), 401, 'invalid_token');
    expectError(await as('carol', 'GET', vars), 403, 'forbidden');
  });
});

describe('public data (demo.iris_species) needs no token', () => {
  const reads = [
    `/datasets/${seg('demo.iris_species')}`,
    IRIS,
    `${IRIS}/variables`,
    `${IRIS}/rows?maxResults=2`,
  ];
  it.each(reads)('anonymous and public-only callers read %s', async (path) => {
    expect((await as(null, 'GET', path)).status).toBe(200);
    expect((await f.call({ method: 'GET', path, token: await f.token('carol', ['public']) })).status).toBe(
      200,
    );
  });

  it('anonymous callers read it through a read session and its stream', async () => {
    const s = await as(null, 'POST', `${IRIS}/readSessions`, {});
    expect(s.status).toBe(200);
    const stream = await as(
      null,
      'GET',
      `/readStreams/${(s.body as { streams: Array<{ id: string }> }).streams[0]?.id}`,
    );
    expect(stream.status).toBe(200);
  });

  it('anonymous callers still cannot write to it', async () => {
    expectError(
      await as(null, 'PATCH', `/datasets/${seg('demo.iris_species')}`, { description: 'x' }),
      401,
      'invalid_token',
    );
    expectError(await as(null, 'POST', '/queries', query('demo.iris_species.iris')), 401, 'invalid_token');
  });
});

describe('OAuth access tokens follow the same scope rules as API tokens', () => {
  const rows = `/tables/${seg('demo.weather_sample.daily_observations')}/rows?maxResults=1`;
  const alice = DEMO_USERS.find((u) => u.name === 'alice') as (typeof DEMO_USERS)[number];
  const jwt = async (scopes: string[], expiresInSec = 600) =>
    (await signAccessToken(f.emu.ctx, { userId: alice.id, userName: alice.name, scopes, expiresInSec }))
      .token;

  it('grants data.data, refuses data.metadata with insufficient_scope and an expired token with 401', async () => {
    expect((await f.call({ method: 'GET', path: rows, token: await jwt(['data.data']) })).status).toBe(200);
    const lacking = await f.call({ method: 'GET', path: rows, token: await jwt(['data.metadata']) });
    expectError(lacking, 403, 'insufficient_scope');
    expect(lacking.body).toMatchObject({ scope: 'data.data data.edit' });
    expectError(
      await f.call({ method: 'GET', path: rows, token: await jwt(['data.data'], -60) }),
      401,
      'invalid_token',
    );
  });
});
