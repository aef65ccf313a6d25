import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/tokens.js';
import { runCli } from '../../src/bin.js';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { ALICE } from '../contract-helpers.js';
import { apiClient } from '../helpers/api.js';

/** A legitimate query that runs far longer than any test waits (10^10 rows): only a cancel or a limit ends it. */
const SLOW = 'SELECT count(*) AS n FROM range(100000) AS a, range(100000) AS b WHERE a.range + b.range >= 0';

let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 100 });
  api = apiClient(emu.url);
});
afterAll(() => emu.stop());

async function post(query: string, timeoutMs = 0, token = ALICE) {
  const res = await api('/queries', { token, json: { query, timeoutMs } });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** Polls GET /queries/:id until `done(status)`, like the official clients do (without their 2 s sleep). */
async function pollUntil(emulator: RunningEmulator, id: string, done: (status: string) => boolean) {
  const client = apiClient(emulator.url);
  for (;;) {
    const res = await client(`/queries/${id}`, { token: ALICE });
    if (done(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('query lifecycle', () => {
  it('returns at once with timeoutMs 0; a polling client sees queued or running, then cancel ends it', async () => {
    const q = await post(SLOW);
    expect(['queued', 'running']).toContain(q.status);
    const running = await pollUntil(emu, q.id, (s) => s !== 'queued');
    expect(running.status).toBe('running');
    expect(running.startedAt).toEqual(expect.any(Number));
    const cancelled = await api(`/queries/${q.id}/cancel`, { token: ALICE, method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      id: q.id,
      status: 'cancelled',
      errorMessage: 'Query was cancelled',
    });
    expect((await api(`/queries/${q.id}`, { token: ALICE })).body.status).toBe('cancelled');
    expect((await api(`/queries/${q.id}/rows`, { token: ALICE })).status).toBe(400);
  });

  it('queues queries beyond the concurrency limits and cancels queued ones', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await post(SLOW)).id);
    const last = await api(`/queries/${ids[5]}`, { token: ALICE });
    expect(last.body.status).toBe('queued');
    const cancelQueued = await api(`/queries/${ids[5]}/cancel`, { token: ALICE, method: 'POST' });
    expect(cancelQueued.body.status).toBe('cancelled');
    for (const id of ids.slice(0, 5)) await api(`/queries/${id}/cancel`, { token: ALICE, method: 'POST' });
    for (const id of ids)
      expect((await api(`/queries/${id}`, { token: ALICE })).body.status).toBe('cancelled');
    // Slots and sandboxes were given back: a small query completes within the default wait.
    expect((await post('SELECT 1 AS one', 30_000)).status).toBe('completed');
  }, 120_000);

  it('leaves an ended query as it is on cancel, and hides other users’ queries', async () => {
    const done = await post('SELECT 1 AS one', 30_000);
    expect(done.status).toBe('completed');
    const res = await api(`/queries/${done.id}/cancel`, { token: ALICE, method: 'POST' });
    expect(res.body).toMatchObject({ status: 'completed', outputNumRows: 1 });
    const bob = await createApiToken(emu.ctx, { userName: 'bob', name: 'bob data', scopes: ['data.data'] });
    expect((await api(`/queries/${done.id}/cancel`, { token: bob.value, method: 'POST' })).status).toBe(404);
  });
});

describe('query limits', () => {
  let limited: RunningEmulator;
  beforeAll(async () => {
    limited = await startEmulator({
      seed: 'demo',
      seedRows: 100,
      queryTimeLimitMs: 300,
      queryOutputLimitBytes: 100,
    });
  });
  afterAll(() => limited.stop());

  it('fails a query that runs past the time limit, with the limit in the message', async () => {
    const res = await apiClient(limited.url)('/queries', {
      token: ALICE,
      json: { query: SLOW, timeoutMs: 0 },
    });
    const ended = await pollUntil(limited, res.body.id, (s) => s !== 'queued' && s !== 'running');
    expect(ended).toMatchObject({ status: 'failed', outputNumRows: null });
    expect(ended.errorMessage).toMatch(/time limit of 300 ms/);
  });

  it('fails a query whose output exceeds the size limit, and keeps small ones', async () => {
    const client = apiClient(limited.url);
    const big = await client('/queries', {
      token: ALICE,
      json: { query: 'SELECT range AS n FROM range(20)' },
    });
    expect(big.body).toMatchObject({ status: 'failed', outputNumBytes: null });
    expect(big.body.errorMessage).toMatch(/160 bytes exceed the emulator's limit of 100 bytes/);
    const small = await client('/queries', {
      token: ALICE,
      json: { query: 'SELECT range AS n FROM range(10)' },
    });
    expect(small.body).toMatchObject({ status: 'completed', outputNumBytes: 80 });
  });

  it('takes both limits as bin flags, and refuses bad values', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    const result = await runCli(
      ['--seed', 'none', '--query-time-limit-ms', '1234', '--query-output-limit-bytes', '5678'],
      io,
    );
    if (!('emulator' in result)) throw new Error(out.join('\n'));
    expect(result.emulator.ctx.options).toMatchObject({
      queryTimeLimitMs: 1234,
      queryOutputLimitBytes: 5678,
    });
    await result.emulator.stop();
    expect(await runCli(['--query-time-limit-ms', 'soon'], io)).toEqual({ exitCode: 2 });
  });
});
