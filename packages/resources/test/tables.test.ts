import { InvalidReferenceError } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedivis, Dataset, ReadStream, Variable, Workflow } from '../src/index.js';
import { startTestEnv, type TestEnv } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.stop());

const IRIS = 'demo.iris_species:v1_0.iris';

describe('Table references', () => {
  it('a 3-part reference keeps both container candidates until get() reads container.kind', async () => {
    const table = env.redivis.table(IRIS);
    expect(table.uri).toBe('/tables/demo.iris_species%3Av1_0.iris');
    expect(table.dataset).toBeInstanceOf(Dataset);
    expect(table.workflow).toBeUndefined(); // a versioned parent cannot be a workflow
    const wfTable = env.redivis.table('demo_admin.weather_analysis.station_counts');
    expect(wfTable.workflow).toBeInstanceOf(Workflow);
    expect(wfTable.dataset).toBeInstanceOf(Dataset);
    await wfTable.get();
    expect(wfTable.dataset).toBeUndefined();
    expect(wfTable.workflow?.qualifiedReference).toMatch(/^demo_admin\.weather_analysis/);
  });

  it('a bare name is scoped by REDIVIS_DEFAULT_DATASET / _WORKFLOW, else rejected', async () => {
    expect(() => env.redivis.table('iris')).toThrow(InvalidReferenceError);
    const scoped = env.as('rdv_demo_admin_token', { env: { REDIVIS_DEFAULT_DATASET: 'demo.iris_species' } });
    expect(scoped.table('iris').qualifiedReference).toBe('demo.iris_species.iris');
    expect((await scoped.table('iris').get()).properties?.numRows).toBe(150);
    const inWorkflow = env.as('rdv_demo_admin_token', {
      env: { REDIVIS_DEFAULT_WORKFLOW: 'demo_admin.weather_analysis' },
    });
    expect(inWorkflow.table('station_counts').workflow).toBeInstanceOf(Workflow);
    const inNotebook = env.as('rdv_demo_admin_token', { env: { REDIVIS_DEFAULT_NOTEBOOK: 'a.b.c' } });
    expect(inNotebook.table('t').uri).toBe('/tables/t');
  });
});

describe('Table (read)', () => {
  it('get() / exists()', async () => {
    const table = await env.redivis.table(IRIS).get();
    expect(table.properties?.numRows).toBe(150);
    expect(table.name).toBe('iris');
    expect(await table.exists()).toBe(true);
    expect(await env.redivis.table('demo.iris_species.nope').exists()).toBe(false);
  });

  it('listVariables() returns Variables in column order', async () => {
    const variables = await env.redivis.table(IRIS).listVariables();
    expect(variables.every((v) => v instanceof Variable)).toBe(true);
    expect(variables.map((v) => v.name)).toEqual([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
      'species',
    ]);
    expect(await env.redivis.table(IRIS).listVariables({ maxResults: 2 })).toHaveLength(2);
  });

  it('listUploads() lists the table uploads', async () => {
    const uploads = await env.redivis.table(IRIS).listUploads();
    expect(Array.isArray(uploads)).toBe(true);
  });

  it('toRowIterator streams the rows listRows returns; rowMode arrays holds the same values', async () => {
    const table = env.redivis.table(IRIS);
    const rows = await table.listRows();
    const streamed = [];
    for await (const row of table.toRowIterator({ maxParallelization: 1 })) streamed.push(row);
    expect(streamed).toEqual(rows);
    const arrays = await table.listRows({ rowMode: 'arrays', variables: ['species', 'SEPAL_LENGTH'] });
    expect(arrays).toEqual(rows.map((r) => [r.species, r.sepal_length]));
    const [stream] = await table.toReadStreams(1);
    const values = [];
    for await (const row of stream!.toRowIterator({ rowMode: 'arrays' })) values.push(row);
    expect(values).toEqual(rows.map((r) => Object.values(r)));
    expect(await stream!.listRows({ rowMode: 'arrays' })).toEqual(values);
  });

  it('readers: listRows, toArrowTable, toArrowBatchIterator, toReadableStream agree on iris', async () => {
    const table = env.redivis.table(IRIS);
    const rows = await table.listRows();
    expect(rows).toHaveLength(150);
    const sum = rows.reduce((s, r) => s + (r.sepal_length as number), 0);
    expect(Math.round(sum * 10) / 10).toBe(876.5);
    const arrowTable = await table.toArrowTable({ variables: ['species', 'SEPAL_LENGTH'], maxResults: 10 });
    expect(arrowTable.numRows).toBe(10);
    expect(arrowTable.schema.fields.map((f) => f.name)).toEqual(['species', 'sepal_length']);
    let count = 0;
    for await (const batch of table.toArrowBatchIterator()) count += batch.numRows;
    expect(count).toBe(150);
    const reader = table.toReadableStream({ maxResults: 7 }).getReader();
    let streamed = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) streamed += r.value.numRows;
    expect(streamed).toBe(7);
  });

  it('toReadStreams() returns ReadStream objects that together hold every row', async () => {
    const streams = await env.redivis.table(IRIS).toReadStreams(3);
    expect(streams.length).toBeGreaterThanOrEqual(1);
    expect(streams.every((s) => s instanceof ReadStream)).toBe(true);
    expect(streams[0]?.uri).toBe(`/readStreams/${encodeURIComponent(streams[0]?.id ?? '')}`);
    const counts = await Promise.all(streams.map(async (s) => (await s.listRows()).length));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(150);
    const tables = await Promise.all(streams.map((s) => s.toArrowTable()));
    expect(tables.reduce((a, t) => a + t.numRows, 0)).toBe(150);
    let batches = 0;
    for (const s of streams) for await (const b of s.toArrowBatchIterator()) batches += b.numRows;
    expect(batches).toBe(150);
    let streamed = 0;
    for (const s of streams) {
      const reader = s.toReadableStream().getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) streamed += r.value.numRows;
    }
    expect(streamed).toBe(150);
    const stations = await env.redivis.table('demo.weather_sample.stations').toReadStreams(1);
    const features = await stations[0]?.toGeoJSON();
    expect(features?.features.length).toBe(stations[0]?.estimatedRows);
  });

  it('toGeoJSON() builds features from the geography variable', async () => {
    const collection = await env.redivis.table('demo.weather_sample.stations').toGeoJSON({ maxResults: 5 });
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(5);
    expect(collection.features[0]?.geometry?.type).toBe('Point');
  });
});

describe('Variable', () => {
  it('get() / exists() / getStatistics()', async () => {
    const variable = env.redivis.table(IRIS).variable('sepal_length');
    expect(variable.uri).toBe('/tables/demo.iris_species%3Av1_0.iris/variables/sepal_length');
    await variable.get();
    expect(variable.properties?.type).toBe('float');
    expect(await variable.exists()).toBe(true);
    expect(await env.redivis.table(IRIS).variable('nope').exists()).toBe(false);
    const stats = await variable.getStatistics({ minDelayMs: 10, maxDelayMs: 50 });
    expect(stats.status).toBe('completed');
    expect(stats.count).toBe(150);
  });

  it('update() and table.updateVariables() change labels on an editable table', async () => {
    const table = env.redivis.table('demo.versioned_dataset:next.notes');
    const variable = await table.variable('note').update({ label: 'Note text', description: 'free text' });
    expect(variable.properties?.label).toBe('Note text');
    expect(variable.properties?.description).toBe('free text');
    await table.updateVariables([{ name: 'id', label: 'Identifier' }]);
    expect((await table.variable('id').get()).properties?.label).toBe('Identifier');
  });
});

describe('Table (write)', () => {
  it('create() in a dataset; delete(); create() without a dataset is a usage error', async () => {
    const table = env.redivis.dataset('demo.versioned_dataset:next').table('scratch');
    await table.create({ isFileIndex: false });
    expect((table.properties?.container as { kind?: string } | undefined)?.kind).toBe('dataset');
    await table.delete();
    expect(await table.exists()).toBe(false);
    const orphan = createRedivis(env.redivis.client).workflow('demo_admin.weather_analysis').table('x');
    await expect(orphan.create()).rejects.toThrow(/not in a dataset/);
  });
});
