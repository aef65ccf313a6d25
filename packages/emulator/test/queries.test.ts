import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/auth/tokens.js';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ADMIN, ALICE, BOB } from './contract-helpers.js';
import { apiClient, readAllStreams } from './helpers/api.js';

const SEED_ROWS = 3000;
let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;
let bobData: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: SEED_ROWS });
  api = apiClient(emu.url);
  // bob with a data scope but only metadata access to the restricted survey.
  bobData = (await createApiToken(emu.ctx, { userName: 'bob', name: 'bob data', scopes: ['data.data'] }))
    .value;
});
afterAll(() => emu.stop());

async function query(body: Record<string, unknown>, token = ALICE) {
  const res = await api('/queries', { token, json: body });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('POST /queries', () => {
  it('runs Redivis SQL over iris: sum(sepal_length) = 876.5, readable as listRows and Arrow', async () => {
    const q = await query({
      query: 'SELECT SUM(sepal_length) AS total, COUNT(*) AS n FROM `demo.iris_species:v1_0.iris`',
    });
    expect(q).toMatchObject({
      kind: 'query',
      uri: `/queries/${q.id}`,
      status: 'completed',
      errorMessage: null,
      outputNumRows: 1,
      outputNumBytes: 16,
      outputSchema: [
        { name: 'total', type: 'float' },
        { name: 'n', type: 'integer' },
      ],
    });
    const rows = await api(`/queries/${q.id}/rows`, { token: ALICE });
    expect(rows.headers.get('content-type')).toMatch(/ndjson/);
    const [total, n] = JSON.parse(rows.text.trim()) as [string, string];
    expect(Number(total)).toBeCloseTo(876.5, 9);
    expect(n).toBe('150');
    const session = (await api(`/queries/${q.id}/readSessions`, { token: ALICE, json: {} })).body;
    const [table] = await readAllStreams(api, session, ALICE);
    expect(table?.getChild('total')?.get(0)).toBeCloseTo(876.5, 9);
    expect(table?.getChild('n')?.get(0)).toBe(150n);
  });

  it('resolves unqualified names against defaultDataset and defaultWorkflow', async () => {
    const a = await query({ query: 'SELECT count(*) AS n FROM iris', defaultDataset: 'demo.iris_species' });
    expect(a.status).toBe('completed');
    const b = await query({
      query: 'SELECT count(*) AS n FROM iris_species.iris JOIN weather_sample.stations ON true',
      defaultDataset: 'demo.iris_species:v1_0',
    });
    expect(b.status, b.errorMessage).toBe('completed');
    const c = await query(
      {
        query: 'SELECT sum(observations) AS total FROM station_counts',
        defaultWorkflow: 'demo_admin.weather_analysis',
      },
      ADMIN,
    );
    expect(c.status, c.errorMessage).toBe('completed');
    const rows = await api(`/queries/${c.id}/rows`, { token: ADMIN });
    expect(rows.text.trim()).toBe(`["${SEED_ROWS}"]`);
    const unqualified = await query({ query: 'SELECT * FROM iris' });
    expect(unqualified).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/must be qualified/),
    });
  });

  it('queries the weather data with every type, in output order', async () => {
    const q = await query({
      query: `SELECT element, COUNT(*) AS n, MIN(date) AS first_day, MAX(observed_at) AS last_seen,
          MIN(obs_time) AS earliest, LOGICAL_AND(value IS NOT NULL) AS complete
        FROM demo.weather_sample.daily_observations GROUP BY element ORDER BY element`,
    });
    expect(q.status, q.errorMessage).toBe('completed');
    expect(q.outputSchema.map((c: { type: string }) => c.type)).toEqual([
      'string',
      'integer',
      'date',
      'dateTime',
      'time',
      'boolean',
    ]);
    const lines = (await api(`/queries/${q.id}/rows?format=csv`, { token: ALICE })).text.trim().split('\n');
    expect(lines[0]).toBe('element,n,first_day,last_seen,earliest,complete');
    const counts = lines.slice(1).map((l) => Number(l.split(',')[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(SEED_ROWS);
    expect(lines[1]).toMatch(
      /^\w+,\d+,\d{4}-\d\d-\d\d,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?,\d\d:\d\d:\d\d(\.\d{6})?,(true|false)$/,
    );
    const variables = await api(`/queries/${q.id}/variables`, { token: ALICE });
    expect(variables.body).toMatchObject({ kind: 'variableList', nextPageToken: null });
    expect(variables.body.results.map((v: { name: string }) => v.name)).toEqual([
      'element',
      'n',
      'first_day',
      'last_seen',
      'earliest',
      'complete',
    ]);
    const one = await api(`/queries/${q.id}/variables/FIRST_DAY`, { token: ALICE });
    expect(one.body).toMatchObject({ kind: 'variable', name: 'first_day', type: 'date', index: 2 });
  });

  it('stores and lists a large output like a small one', async () => {
    // 50 rows per observation: more rows than the emulator reads in one piece (a small output is copied out of the
    // sandbox and listed in one read), so the output is streamed to its table and to the client chunk by chunk.
    const q = await query({
      query: `SELECT o.element, i.species FROM demo.weather_sample.daily_observations AS o
        CROSS JOIN \`demo.iris_species:v1_0.iris\` AS i WHERE i.species = 'setosa'`,
    });
    expect(q.status, q.errorMessage).toBe('completed');
    expect(q.outputNumRows).toBe(SEED_ROWS * 50);
    const lines = (await api(`/queries/${q.id}/rows?maxResults=20000`, { token: ALICE })).text
      .trim()
      .split('\n');
    expect(lines).toHaveLength(20_000);
    expect(JSON.parse(lines[0] as string)).toEqual([expect.any(String), 'setosa']);
    const csv = (await api(`/queries/${q.id}/rows?format=csv&maxResults=20000`, { token: ALICE })).text;
    expect(csv.trim().split('\n')).toHaveLength(20_001);
    expect(csv.startsWith('element,species\n')).toBe(true);
    // Every row arrived once: per element, 50 times the element's observations.
    const session = (await api(`/queries/${q.id}/readSessions`, { token: ALICE, json: {} })).body;
    const perElement = new Map<string, number>();
    for (const table of await readAllStreams(api, session, ALICE)) {
      for (const element of table.getChild('element')?.toArray() ?? []) {
        perElement.set(element, (perElement.get(element) ?? 0) + 1);
      }
    }
    const counts = await query({
      query: `SELECT element, COUNT(*) * 50 AS n FROM demo.weather_sample.daily_observations GROUP BY element`,
    });
    const expected = (await api(`/queries/${counts.id}/rows`, { token: ALICE })).text.trim().split('\n');
    expect(Object.fromEntries(perElement)).toEqual(
      Object.fromEntries(
        expected.map((line) => (JSON.parse(line) as [string, string]).map((v, i) => (i ? Number(v) : v))),
      ),
    );
  });

  it('fails bad SQL with the SQL problem, and changes nothing', async () => {
    const bad = await query({ query: 'SELECT no_such_column FROM demo.iris_species.iris' });
    expect(bad).toMatchObject({ status: 'failed', outputSchema: null, outputNumRows: null });
    expect(bad.errorMessage).toMatch(/no_such_column/);
    expect(bad.errorMessage).not.toMatch(/tabledata|s_[a-z0-9]{12}/);
    const polled = await api(`/queries/${bad.id}`, { token: ALICE });
    expect(polled.body).toMatchObject({ id: bad.id, status: 'failed', errorMessage: bad.errorMessage });
    expect((await api(`/queries/${bad.id}/rows`, { token: ALICE })).status).toBe(400);
    expect((await api(`/queries/${bad.id}/readSessions`, { token: ALICE, json: {} })).status).toBe(400);

    const injection = await query({ query: 'SELECT 1; DELETE FROM demo.iris_species.iris' });
    expect(injection).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/one statement/),
    });
    const ddl = await query({ query: 'DROP TABLE demo.iris_species.iris' });
    expect(ddl.status).toBe('failed');
    const files = await query({ query: "SELECT * FROM read_csv('/etc/passwd')" });
    expect(files.status).toBe('failed');
    const count = await query({ query: 'SELECT count(*) AS n FROM demo.iris_species.iris' });
    expect((await api(`/queries/${count.id}/rows`, { token: ALICE })).text.trim()).toBe('["150"]');
  });

  it('fails queries on unknown tables and on tables without data access', async () => {
    const unknown = await query({ query: 'SELECT * FROM `demo.iris_species.nope`' });
    expect(unknown).toMatchObject({
      status: 'failed',
      errorMessage: 'Not found: Table demo.iris_species.nope was not found',
    });
    const noDataset = await query({ query: 'SELECT * FROM demo.no_such_dataset.t' });
    expect(noDataset.errorMessage).toMatch(/Not found/);
    const restricted = await query(
      { query: 'SELECT count(*) FROM demo.restricted_survey.responses' },
      bobData,
    );
    expect(restricted).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/^Access Denied/),
    });
    const allowed = await query({ query: 'SELECT count(*) AS n FROM demo.restricted_survey.responses' });
    expect(allowed.status).toBe('completed');
  });

  it('requires credentials with a data scope, and validates the body', async () => {
    expect((await api('/queries', { json: { query: 'SELECT 1' } })).status).toBe(401);
    const bob = await api('/queries', { token: BOB, json: { query: 'SELECT 1' } });
    expect(bob.status).toBe(403);
    expect(bob.body).toMatchObject({ error: 'insufficient_scope', status: 403 });
    for (const body of [{}, { query: '' }, { query: 1 }, { query: 'SELECT 1', timeoutMs: 60_001 }]) {
      const res = await api('/queries', { token: ALICE, json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request', status: 400 });
    }
    const unknownDefault = await api('/queries', {
      token: ALICE,
      json: { query: 'SELECT 1', defaultDataset: 'demo.nothing_here' },
    });
    expect(unknownDefault.status).toBe(404);
  });

  it('returns a running query when timeoutMs elapses, which completes when polled', async () => {
    const q = await query({
      query: 'SELECT sum(a.value) AS s FROM demo.weather_sample.daily_observations a CROSS JOIN range(200) r',
      timeoutMs: 0,
    });
    expect(['queued', 'running', 'completed'], q.errorMessage).toContain(q.status);
    let polled = q;
    while (polled.status === 'queued' || polled.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      polled = (await api(`/queries/${q.id}`, { token: ALICE })).body;
    }
    expect(polled.status, polled.errorMessage).toBe('completed');
    expect(polled.outputNumRows).toBe(1);
  });

  it("hides other users' queries", async () => {
    const q = await query({ query: 'SELECT 1 AS one' });
    expect(q.status).toBe('completed');
    expect((await api(`/queries/${q.id}`, { token: ADMIN })).status).toBe(404);
    expect((await api(`/queries/${q.id}/rows`, { token: ADMIN })).status).toBe(404);
    expect((await api('/queries/nope', { token: ALICE })).status).toBe(404);
  });
});
