import {
  listEnvelopeSchema,
  tableListItemSchema,
  tableSchema,
  variableSchema,
  variableStatisticsSchema,
} from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ALICE, BOB, call, headError, json } from './contract-helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seedRows: 1000 });
});
afterAll(async () => {
  await emu.stop();
});

type Table = Record<string, unknown> & {
  uri: string;
  qualifiedReference: string;
  referenceId: string;
  numRows: number;
};
const lines = async (res: Response) => (await res.text()).trim().split('\n');

describe('tables', () => {
  it('lists a dataset version’s tables and a workflow’s tables', async () => {
    const { body } = await json<{ results: Table[] }>(emu, '/datasets/demo.weather_sample/tables');
    listEnvelopeSchema(tableListItemSchema).parse(body);
    expect(body.results.map((t) => t.name)).toEqual(['daily_observations', 'stations']);
    const wf = await json<{ results: Table[] }>(emu, '/workflows/demo_admin.weather_analysis/tables');
    expect(wf.body.results.map((t) => [t.name, (t.container as { kind: string }).kind])).toEqual([
      ['station_counts', 'workflow'],
    ]);
    expect((await call(emu, '/workflows/demo_admin.weather_analysis/tables', { token: BOB })).status).toBe(
      404,
    );
    expect((await call(emu, '/workflows/demo_admin.weather_analysis/tables', { token: ALICE })).status).toBe(
      200,
    );
  });

  it.each([
    'demo.iris_species.iris',
    'demo.iris_species%3Av1_0.IRIS',
    'demo.Iris%20species.iris',
    '%60demo.iris_species.iris%60',
  ])('gets %s', async (ref) => {
    const { status, body } = await json<Table>(emu, `/tables/${ref}`);
    expect(status).toBe(200);
    tableSchema.parse(body);
    expect(body).toMatchObject({ name: 'iris', numRows: 150, variableCount: 5, canDownload: true });
    expect(body.qualifiedReference).toMatch(/^demo\.iris_species:v1_0:[a-z0-9]{4}\.iris:[a-z0-9]{4}$/);
    expect((await call(emu, body.uri, { method: 'HEAD' })).status).toBe(200);
  });

  it('resolves table reference ids, samples and the reference flags', async () => {
    const { body } = await json<Table>(emu, '/tables/demo.weather_sample.daily_observations');
    const byId = await json<Table>(emu, `/tables/demo.weather_sample.renamed:${body.referenceId}`);
    expect(byId.body.id).toBe(body.id);
    expect((await call(emu, '/tables/demo.weather_sample.daily_observations?exactReferences')).status).toBe(
      400,
    );
    expect(
      (await call(emu, `/tables/demo.weather_sample.x:${body.referenceId}?strictReferences`)).status,
    ).toBe(400);
    const sample = await json<Table>(emu, '/tables/demo.weather_sample%3Asample.daily_observations');
    expect(sample.body).toMatchObject({ isSample: true, numRows: 10 });
    // The JS client writes :sample after the table name.
    const jsStyle = await json<Table>(emu, '/tables/demo.weather_sample.daily_observations%3Asample');
    expect(jsStyle.body.id).toBe(sample.body.id);
    expect((await call(emu, '/tables/demo.iris_species:sample.iris')).status).toBe(404);
    const head = await call(emu, '/tables/demo.iris_species.nope', { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(headError(head)).toMatchObject({ error: 'not_found' });
    expect((await call(emu, '/tables/just_a_table')).status).toBe(400);
  });

  it('lists rows as NDJSON arrays of strings, with selectedVariables and maxResults', async () => {
    const res = await call(
      emu,
      '/tables/demo.iris_species.iris/rows?maxResults=2&selectedVariables=SPECIES,sepal_length',
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/ndjson/);
    expect((await lines(res)).map((l) => JSON.parse(l))).toEqual([
      ['setosa', '5.1'],
      ['setosa', '4.9'],
    ]);
    const all = await lines(await call(emu, '/tables/demo.iris_species.iris/rows', { token: null }));
    expect(all).toHaveLength(150);
    const sum = all.map((l) => Number(JSON.parse(l)[0])).reduce((a, b) => a + b, 0);
    expect(Math.round(sum * 10) / 10).toBe(876.5);
    const nulls = await lines(await call(emu, '/tables/demo.weather_sample.daily_observations/rows'));
    expect(nulls).toHaveLength(1000);
    expect(nulls.some((l) => JSON.parse(l).includes(null))).toBe(true);
    expect((await call(emu, '/tables/demo.iris_species.iris/rows?selectedVariables=nope')).status).toBe(400);
  });

  it('lists rows as CSV with a header', async () => {
    const res = await call(emu, '/tables/demo.weather_sample.stations/rows?format=csv&maxResults=1');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, row] = await lines(res);
    expect(header).toBe('id,name,latitude,longitude,elevation,location,active,opened');
    expect(row).toMatch(/^USW00000000,/);
  });

  it('needs data access for rows: 401 anonymous, 403 forbidden for metadata users, 403 insufficient_scope', async () => {
    const path = '/tables/demo.weather_sample.daily_observations/rows?maxResults=1';
    expect((await call(emu, path, { token: null })).status).toBe(401);
    const bob = await json(emu, path, { token: BOB });
    expect(bob.status).toBe(403);
    expect(bob.body.error).toBe('forbidden');
    const { createApiToken } = await import('../src/auth/tokens.js');
    const { value } = await createApiToken(emu.ctx, {
      userName: 'alice',
      name: 'meta',
      scopes: ['data.metadata'],
    });
    const scoped = await json(emu, path, { token: value });
    expect(scoped.status).toBe(403);
    expect(scoped.body).toMatchObject({ error: 'insufficient_scope', scope: 'data.data data.edit' });
    expect((await call(emu, path, { token: ALICE })).status).toBe(200);
  });

  it('reports export restrictions as canDownload false', async () => {
    const { body } = await json<Table>(emu, '/tables/demo.restricted_survey.responses', { token: ALICE });
    expect(body.canDownload).toBe(false);
    expect(
      (await json<Table>(emu, '/tables/demo.restricted_survey.responses', { token: BOB })).body.canDownload,
    ).toBe(false);
  });

  it('creates, patches and deletes tables on the next version only', async () => {
    const onReleased = await json(emu, '/datasets/demo.versioned_dataset:current/tables', {
      method: 'POST',
      json: { name: 't' },
    });
    expect(onReleased.status).toBe(400);
    const created = await json<Table>(emu, '/datasets/demo.versioned_dataset:next/tables', {
      method: 'POST',
      json: { name: 'New table', description: 'd', uploadMergeStrategy: 'replace' },
    });
    expect(created.status).toBe(201);
    tableSchema.parse(created.body);
    expect(created.body).toMatchObject({
      name: 'New table',
      numRows: 0,
      uploadMergeStrategy: 'replace',
      variableCount: 0,
    });
    const dup = await call(emu, '/datasets/demo.versioned_dataset:next/tables', {
      method: 'POST',
      json: { name: 'new_table' },
    });
    expect(dup.status).toBe(409);
    const bad = await call(emu, '/datasets/demo.versioned_dataset:next/tables', {
      method: 'POST',
      json: { name: 'x', uploadMergeStrategy: 'merge' },
    });
    expect(bad.status).toBe(400);
    const patched = await json<Table>(emu, '/tables/demo.versioned_dataset:next.new_table', {
      method: 'PATCH',
      json: { name: 'Renamed', uploadMergeStrategy: 'append' },
    });
    expect(patched.body).toMatchObject({ name: 'Renamed', uploadMergeStrategy: 'append' });
    const onV1 = await call(emu, '/tables/demo.versioned_dataset:v1_0.sites', { method: 'DELETE' });
    expect(onV1.status).toBe(400);
    const del = await call(emu, '/tables/demo.versioned_dataset:next.renamed', { method: 'DELETE' });
    expect(await del.text()).toBe('OK');
    expect((await call(emu, '/tables/demo.versioned_dataset:next.renamed')).status).toBe(404);
    const alice = await call(emu, '/datasets/demo.versioned_dataset:next/tables', {
      method: 'POST',
      token: ALICE,
      json: { name: 'y' },
    });
    expect(alice.status).toBe(403);
  });
});

describe('variables', () => {
  const T = '/tables/demo.iris_species.iris';
  it('lists variables in column order and filters by type', async () => {
    const { body } = await json<{ results: Array<{ name: string; index: number }> }>(emu, `${T}/variables`);
    listEnvelopeSchema(variableSchema).parse(body);
    expect(body.results.map((v) => v.name)).toEqual([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
      'species',
    ]);
    expect(body.results.map((v) => v.index)).toEqual([0, 1, 2, 3, 4]);
    const geo = await json<{ results: Array<{ name: string }> }>(
      emu,
      '/tables/demo.weather_sample.stations/variables?type=geography',
    );
    expect(geo.body.results.map((v) => v.name)).toEqual(['location']);
    expect((await call(emu, `${T}/variables?type=blob`)).status).toBe(400);
  });

  it('gets a variable case-insensitively (and HEAD), 404 for unknown names', async () => {
    const { body } = await json<Record<string, unknown>>(emu, `${T}/variables/Sepal_Length`);
    variableSchema.parse(body);
    expect(body).toMatchObject({
      name: 'sepal_length',
      type: 'float',
      label: 'Sepal length (cm)',
      valueLabels: [],
    });
    expect((await call(emu, `${T}/variables/nope`, { method: 'HEAD' })).status).toBe(404);
  });

  it('computes summary statistics in DuckDB', async () => {
    const { body } = await json<Record<string, number>>(emu, `${T}/variables/sepal_length/statistics`);
    variableStatisticsSchema.parse(body);
    expect(body).toMatchObject({ status: 'completed', count: 150, numDistinct: 35, min: 4.3, max: 7.9 });
    expect(body.mean).toBeCloseTo(876.5 / 150, 10);
    const species = await json<Record<string, unknown>>(emu, `${T}/variables/species/statistics`);
    expect(species.body).toMatchObject({ count: 150, numDistinct: 3, min: null, mean: null });
    const date = await json<Record<string, unknown>>(
      emu,
      '/tables/demo.weather_sample.stations/variables/opened/statistics',
    );
    expect(date.body.min).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('patches one variable (array or map value labels) and bulk-patches tables and datasets', async () => {
    const V = '/tables/demo.weather_sample.daily_observations/variables';
    const one = await json<Record<string, unknown>>(emu, `${V}/value`, {
      method: 'PATCH',
      json: { label: 'Reading', valueLabels: { '-200': 'floor' } },
    });
    expect(one.body).toMatchObject({ label: 'Reading', valueLabels: [{ value: '-200', label: 'floor' }] });
    const unset = await json<Record<string, unknown>>(emu, `${V}/value`, {
      method: 'PATCH',
      json: { label: null },
    });
    expect(unset.body).toMatchObject({ label: null, valueLabels: [{ value: '-200', label: 'floor' }] });
    const bulk = await call(emu, V, {
      method: 'PATCH',
      json: {
        variables: [
          { name: 'DATE', description: 'Day' },
          { name: 'element', label: 'Kind' },
        ],
      },
    });
    expect(await bulk.text()).toBe('OK');
    expect((await json(emu, `${V}/date`)).body).toMatchObject({ description: 'Day' });
    const unknown = await call(emu, V, {
      method: 'PATCH',
      json: { variables: [{ name: 'nope', label: 'x' }] },
    });
    expect(unknown.status).toBe(404);
    const ds = await call(emu, '/datasets/demo.weather_sample/variables', {
      method: 'PATCH',
      json: {
        variables: [
          { name: 'station_id', label: 'Station' },
          { name: 'id', label: 'Station' },
        ],
      },
    });
    expect(ds.status).toBe(200);
    expect((await json(emu, '/tables/demo.weather_sample.stations/variables/id')).body.label).toBe('Station');
    const bad = await call(emu, V, { method: 'PATCH', json: { variables: 'x' } });
    expect(bad.status).toBe(400);
    expect(
      (await call(emu, `${V}/value`, { method: 'PATCH', token: ALICE, json: { label: 'x' } })).status,
    ).toBe(403);
  });
});
