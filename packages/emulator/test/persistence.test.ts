import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../src/auth/tokens.js';
import { startEmulator } from '../src/index.js';
import { call, json } from './contract-helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-emulator-persist-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('finds every dataset, version, table, row, variable edit and token after a restart on the same data dir', async () => {
  const first = await startEmulator({ dataDir: dir, seedRows: 500, token: 'persistent-admin-token' });
  const created = await json<{ uri: string }>(first, '/organizations/demo/datasets', {
    method: 'POST',
    json: { name: 'Kept', publicAccessLevel: 'metadata', description: 'survives' },
  });
  expect(created.status).toBe(201);
  await call(first, '/datasets/demo.kept:next/tables', { method: 'POST', json: { name: 'empty' } });
  await call(first, '/datasets/demo.versioned_dataset/versions/next/release', { method: 'POST' });
  await call(first, '/tables/demo.iris_species.iris/variables/species', {
    method: 'PATCH',
    json: { label: 'Kind' },
  });
  const kept = await createApiToken(first.ctx, { userName: 'bob', name: 'kept', scopes: ['data.metadata'] });
  const gone = await createApiToken(first.ctx, { userName: 'bob', name: 'gone', scopes: [] });
  await revokeApiToken(first.ctx, gone.token.id);
  const rowsBefore = await (await call(first, '/tables/demo.weather_sample.daily_observations/rows')).text();
  await first.stop();

  const second = await startEmulator({ dataDir: dir, seedRows: 10, token: 'persistent-admin-token' });
  try {
    expect(second.tokens.map((t) => t.value)).toContain('persistent-admin-token');
    const list = await json<{ results: Array<{ name: string }> }>(second, '/organizations/demo/datasets');
    expect(list.body.results.map((d) => d.name)).toEqual([
      'Demo files',
      'Iris species',
      'Kept',
      'Restricted survey',
      'Versioned dataset',
      'Weather sample',
    ]);
    expect((await json(second, '/datasets/demo.kept')).body.description).toBe('survives');
    expect((await call(second, '/tables/demo.kept:next.empty')).status).toBe(200);
    expect((await json(second, '/datasets/demo.versioned_dataset/versions/current')).body.tag).toBe('v2.0');
    expect((await json(second, '/tables/demo.iris_species.iris/variables/species')).body.label).toBe('Kind');
    // seedRows of the second start is ignored: the seed ran once.
    expect(await (await call(second, '/tables/demo.weather_sample.daily_observations/rows')).text()).toBe(
      rowsBefore,
    );
    expect((await call(second, '/users/me', { token: kept.value })).status).toBe(200);
    expect((await call(second, '/users/me', { token: gone.value })).status).toBe(401);
  } finally {
    await second.stop();
  }
});

it('removes a temporary data dir on stop', async () => {
  const emu = await startEmulator({ seed: 'none' });
  const { existsSync } = await import('node:fs');
  expect(existsSync(emu.ctx.dataDir)).toBe(true);
  expect((await json(emu, '/organizations/demo/datasets', { token: null })).status).toBe(404);
  await emu.stop();
  expect(existsSync(emu.ctx.dataDir)).toBe(false);
});
