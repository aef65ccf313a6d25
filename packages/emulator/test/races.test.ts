import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { call } from './contract-helpers.js';

// Parallel writes over real HTTP: exactly one request may win a delete or state change; the others must get what a
// later, sequential request gets (404 for a resource that is gone, 400 for a state that no longer allows it).
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seedRows: 100 });
});
afterAll(async () => {
  await emu.stop();
});

let n = 0;
/**
 * A new dataset of demo_admin. `releases` 0: a next version holding table `t0`; else that many releases (v1.0,
 * v1.1, …; each adds a table) and no next version.
 */
async function dataset(releases = 0): Promise<string> {
  const name = `race_${++n}`;
  expect((await call(emu, '/users/demo_admin/datasets', { method: 'POST', json: { name } })).status).toBe(
    201,
  );
  const ref = `/datasets/demo_admin.${name}`;
  for (let i = 0; i < Math.max(1, releases); i++) {
    if (i > 0) expect((await call(emu, `${ref}/versions`, { method: 'POST' })).status).toBe(201);
    const table = await call(emu, `${ref}:next/tables`, { method: 'POST', json: { name: `t${i}` } });
    expect(table.status).toBe(201);
    if (releases > 0) {
      expect((await call(emu, `${ref}/versions/next/release`, { method: 'POST' })).status).toBe(200);
    }
  }
  return ref;
}

/** Fires `count` copies of one request at once and returns their statuses, sorted. */
async function parallel(count: number, path: string, init: Parameters<typeof call>[2]): Promise<number[]> {
  const responses = await Promise.all(Array.from({ length: count }, () => call(emu, path, init)));
  await Promise.all(responses.map((r) => r.arrayBuffer()));
  return responses.map((r) => r.status).sort();
}

const oneThenRest = (first: number, rest: number, total = 10) =>
  [...Array.from({ length: total }, (_, i) => (i === 0 ? first : rest))].sort();

describe('parallel deletes and state changes', () => {
  it('10 parallel DELETEs of one dataset: one 200, nine 404', async () => {
    const ref = await dataset();
    expect(await parallel(10, ref, { method: 'DELETE' })).toEqual(oneThenRest(200, 404));
    expect((await call(emu, ref)).status).toBe(404);
  });

  it('10 parallel DELETEs of the next version: one 200, nine 404', async () => {
    const ref = await dataset();
    expect(await parallel(10, `${ref}/versions/next`, { method: 'DELETE' })).toEqual(oneThenRest(200, 404));
  });

  it('10 parallel DELETEs of a historic version: one 200, nine 400 (already deleted)', async () => {
    const ref = await dataset(2);
    expect(await parallel(10, `${ref}/versions/v1.0`, { method: 'DELETE' })).toEqual(oneThenRest(200, 400));
  });

  it('10 parallel releases of next: one 200, nine 404, and a single new version', async () => {
    const ref = await dataset();
    expect(await parallel(10, `${ref}/versions/next/release`, { method: 'POST' })).toEqual(
      oneThenRest(200, 404),
    );
    const list = (await (await call(emu, `${ref}/versions`)).json()) as { results: Array<{ tag: string }> };
    expect(list.results.map((v) => v.tag)).toEqual(['v1.0']);
  });

  it('10 parallel unreleases of the current version: one 200, nine 404', async () => {
    const ref = await dataset(1);
    expect(await parallel(10, `${ref}/versions/current/unrelease`, { method: 'POST' })).toEqual(
      oneThenRest(200, 404),
    );
  });

  it('10 parallel unreleases of v1.1 leave v1.0 released', async () => {
    const ref = await dataset(2);
    const statuses = await parallel(10, `${ref}/versions/v1.1/unrelease`, { method: 'POST' });
    expect(statuses).toEqual(oneThenRest(200, 404));
    const current = (await (await call(emu, `${ref}/versions/current`)).json()) as { tag: string };
    expect(current.tag).toBe('v1.0');
  });

  it('10 parallel next-version creates: one 201, nine 400', async () => {
    const ref = await dataset(1);
    expect(await parallel(10, `${ref}/versions`, { method: 'POST' })).toEqual(oneThenRest(201, 400));
  });

  it('10 parallel DELETEs of one table: one 200, nine 404', async () => {
    const ref = await dataset();
    const table = `/tables/${ref.slice('/datasets/'.length)}:next.t0`;
    expect(await parallel(10, table, { method: 'DELETE' })).toEqual(oneThenRest(200, 404));
  });

  it('patches racing a delete answer 200 (before it) or 404 (after it), never act on the deleted dataset', async () => {
    const ref = await dataset();
    const requests = [
      call(emu, ref, { method: 'DELETE' }),
      ...Array.from({ length: 9 }, (_, i) =>
        call(emu, ref, { method: 'PATCH', json: { description: `d${i}` } }),
      ),
    ];
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses[0]).toBe(200);
    for (const s of statuses.slice(1)) expect([200, 404]).toContain(s);
    const after = await emu.ctx.db.all('SELECT id FROM datasets WHERE name = ?', [
      ref.split('.').pop() as string,
    ]);
    expect(after).toEqual([]);
  });

  it('variable patches racing their table delete answer 200 or 404, never 500', async () => {
    const table = '/tables/demo.versioned_dataset:next.measurements';
    const variables = (await (await call(emu, `${table}/variables`)).json()) as {
      results: Array<{ name: string }>;
    };
    const name = variables.results[0]?.name as string;
    const requests = [
      call(emu, table, { method: 'DELETE' }),
      ...Array.from({ length: 9 }, (_, i) =>
        call(emu, `${table}/variables/${name}`, { method: 'PATCH', json: { label: `l${i}` } }),
      ),
      ...Array.from({ length: 3 }, () =>
        call(emu, `${table}/variables`, { method: 'PATCH', json: { variables: [{ name, label: 'bulk' }] } }),
      ),
    ];
    const statuses = (await Promise.all(requests)).map((r) => r.status);
    expect(statuses[0]).toBe(200);
    for (const s of statuses.slice(1)) expect([200, 404]).toContain(s);
  });

  it('10 parallel creates of one workflow parameter: one 200, nine 409; then 10 DELETEs: one 200, nine 404', async () => {
    const W = '/workflows/demo_admin.weather_analysis/parameters';
    const created = await parallel(10, W, { method: 'POST', json: { name: 'race_param', values: ['a'] } });
    expect(created).toEqual(oneThenRest(200, 409));
    expect(await parallel(10, `${W}/race_param`, { method: 'DELETE' })).toEqual(oneThenRest(200, 404));
  });

  it('10 parallel runs of one notebook: one starts, nine 400 (already running)', async () => {
    const N = `/notebooks/${encodeURIComponent('demo_admin.weather_analysis.exploration')}`;
    expect(await parallel(10, `${N}/run`, { method: 'POST' })).toEqual(oneThenRest(200, 400));
    await call(emu, `${N}/stop`, { method: 'POST' });
  });
});
