import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ADMIN, ALICE, BOB } from './contract-helpers.js';
import { apiClient } from './helpers/api.js';

// What the official JS client sends that other clients do not: /projects paths, `:current` on every dataset, and
// the version tags people write by hand.
let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;
const WF = 'demo_admin.weather_analysis';

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 20 });
  api = apiClient(emu.url);
});
afterAll(() => emu.stop());

const names = (body: { results: Array<{ name: string }> }) => body.results.map((t) => t.name).sort();

describe('/projects is an alias of /workflows', () => {
  it.each([
    '',
    '/tables',
    '/parameters',
    '/dataSources',
    '/notebooks',
    '/transforms',
  ])('GET /projects/{ref}%s answers what the /workflows path does', async (suffix) => {
    const viaProjects = await api(`/projects/${WF}${suffix}`, { token: ALICE });
    const viaWorkflows = await api(`/workflows/${WF}${suffix}`, { token: ALICE });
    expect(viaProjects.status, viaProjects.text).toBe(200);
    expect(viaProjects.body).toEqual(viaWorkflows.body);
  });

  it('includeDatasetTables adds the tables of the source datasets; false or absent does not', async () => {
    const own = await api(`/projects/${WF}/tables?includeDatasetTables=false`, { token: ALICE });
    expect(names(own.body)).toEqual(['station_counts']);
    const all = await api(`/projects/${WF}/tables?includeDatasetTables=true`, { token: ALICE });
    expect(all.status, all.text).toBe(200);
    expect(names(all.body)).toEqual(['daily_observations', 'station_counts', 'stations']);
    const stations = all.body.results.find((t: { name: string }) => t.name === 'stations');
    expect(stations.container.kind).toBe('dataset');
    expect(stations.uri).toMatch(/^\/tables\/demo\.weather_sample/);
    expect((await api(`/workflows/${WF}/tables?includeDatasetTables=true`, { token: ALICE })).body).toEqual(
      all.body,
    );
    const bad = await api(`/projects/${WF}/tables?includeDatasetTables=maybe`, { token: ALICE });
    expect(bad.status).toBe(400);
  });

  it('writes go through the alias too, with the same authorization', async () => {
    const denied = await api(`/projects/${WF}/parameters`, {
      token: BOB,
      json: { name: 'p1', values: ['a'] },
    });
    expect([403, 404]).toContain(denied.status);
    const created = await api(`/projects/${WF}/parameters`, {
      token: ADMIN,
      json: { name: 'p1', values: ['a'] },
    });
    expect(created.status, created.text).toBe(200);
    expect((await api(`/workflows/${WF}/parameters/p1`, { token: ADMIN })).body.values).toEqual(['a']);
    expect((await api('/projects/demo_admin.nope', { token: ADMIN })).status).toBe(404);
  });
});

describe('`:current` on a never-released dataset', () => {
  it('resolves for editors to next, as the bare reference does; others still get 404', async () => {
    const created = await api('/users/demo_admin/datasets', {
      token: ADMIN,
      json: { name: 'Fresh data', publicAccessLevel: 'none' },
    });
    expect(created.status, created.text).toBe(201);
    const current = await api(`/datasets/${encodeURIComponent('demo_admin.fresh_data:current')}`, {
      token: ADMIN,
    });
    expect(current.status, current.text).toBe(200);
    const bare = await api('/datasets/demo_admin.fresh_data', { token: ADMIN });
    expect(current.body.id).toBe(bare.body.id);
    const table = await api(`/datasets/${encodeURIComponent('demo_admin.fresh_data:current')}/tables`, {
      token: ADMIN,
      json: { name: 'first' },
    });
    expect(table.status, table.text).toBe(201);
    expect(
      (await api(`/tables/${encodeURIComponent('demo_admin.fresh_data:current.first')}`, { token: ADMIN }))
        .status,
    ).toBe(200);
    expect(
      (await api(`/datasets/${encodeURIComponent('demo_admin.fresh_data:current')}`, { token: ALICE }))
        .status,
    ).toBe(404);
  });

  it('still means the released version when there is one', async () => {
    const v = await api(`/datasets/${encodeURIComponent('demo.versioned_dataset:current')}`, {
      token: ADMIN,
    });
    expect(v.body.version.tag).toBe('v1.0');
  });
});

describe('version tags', () => {
  it('accepts 1.0 in references as the README says (and in version paths)', async () => {
    const dotted = await api(`/datasets/${encodeURIComponent('demo.versioned_dataset:1.0')}`, {
      token: ALICE,
    });
    expect(dotted.status, dotted.text).toBe(200);
    expect(dotted.body.version.tag).toBe('v1.0');
    const table = await api('/tables/demo.versioned_dataset:1.0.sites', { token: ALICE });
    expect(table.status, table.text).toBe(200);
    expect((await api('/datasets/demo.versioned_dataset/versions/1.0', { token: ALICE })).body.tag).toBe(
      'v1.0',
    );
    expect((await api('/datasets/demo.versioned_dataset:v1.0', { token: ALICE })).status).toBe(200);
    expect((await api('/datasets/demo.versioned_dataset:9.9', { token: ALICE })).status).toBe(404);
  });
});
