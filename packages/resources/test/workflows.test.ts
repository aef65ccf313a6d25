import { ForbiddenError, JobFailedError, NotFoundError } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Datasource,
  Notebook,
  Parameter,
  ResourceUsageError,
  Table,
  Transform,
  Workflow,
} from '../src/index.js';
import { startTestEnv, type TestEnv } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.stop());

const WF = 'demo_admin.weather_analysis';
const fast = { minDelayMs: 10, maxDelayMs: 50 };

describe('Workflow', () => {
  it('get() / exists() and the server uri', async () => {
    const workflow = env.redivis.workflow(WF);
    expect(workflow.uri).toBe('/workflows/demo_admin.weather_analysis');
    await workflow.get();
    expect(workflow.name).toBe('Weather analysis');
    expect(workflow.uri).toBe(workflow.properties?.uri);
    expect(await workflow.exists()).toBe(true);
    expect(await env.redivis.workflow('demo_admin.nope').exists()).toBe(false);
  });

  it('listTables(), listNotebooks(), listTransforms(), listParameters(), listDatasources()', async () => {
    const workflow = env.redivis.workflow(WF);
    const tables = await workflow.listTables();
    expect(tables.map((t) => t.name)).toContain('station_counts');
    expect(tables[0]).toBeInstanceOf(Table);
    const notebooks = await workflow.listNotebooks();
    expect(notebooks.map((n) => n.name)).toEqual(['Exploration']);
    expect(notebooks[0]).toBeInstanceOf(Notebook);
    const transforms = await workflow.listTransforms();
    expect(transforms.map((t) => t.name)).toEqual(['Element counts']);
    expect(transforms[0]).toBeInstanceOf(Transform);
    const parameters = await workflow.listParameters();
    expect(parameters.map((p) => p.name)).toContain('elements');
    expect(parameters[0]).toBeInstanceOf(Parameter);
    const sources = await workflow.listDatasources();
    expect(sources).toHaveLength(1);
    expect(sources[0]).toBeInstanceOf(Datasource);
    expect(await workflow.listTables({ maxResults: 1 })).toHaveLength(1);
  });

  it('updateVariables() labels variables of workflow tables', async () => {
    const workflow = env.redivis.workflow(WF);
    await workflow.updateVariables([
      { table: 'station_counts', name: 'observations', label: 'Observation count' },
    ]);
    expect((await workflow.table('station_counts').variable('observations').get()).properties?.label).toBe(
      'Observation count',
    );
  });

  it('currentWorkflow() / currentNotebook() follow REDIVIS_DEFAULT_*; null without them', () => {
    expect(env.redivis.currentWorkflow()).toBeNull();
    expect(env.redivis.currentNotebook()).toBeNull();
    const inside = env.as('rdv_demo_admin_token', {
      env: { REDIVIS_DEFAULT_WORKFLOW: WF, REDIVIS_DEFAULT_NOTEBOOK: `${WF}.exploration` },
    });
    expect(inside.currentWorkflow()).toBeInstanceOf(Workflow);
    expect(inside.currentNotebook()?.name).toBe('exploration');
    expect(inside.transform('element_counts').uri).toBe(
      `/transforms/${encodeURIComponent(`${WF}.element_counts`)}`,
    );
  });
});

describe('Parameter', () => {
  it('create → get / getValues → update → exists → delete', async () => {
    const parameter = env.redivis.parameter(`${WF}.thresholds`);
    expect(await parameter.exists()).toBe(false);
    await parameter.create({ values: [1, 2, 3] });
    expect(parameter.properties?.type).toBe('integer');
    expect(await parameter.getValues()).toEqual([1, 2, 3]);
    await parameter.update({ values: [10], name: 'limits' });
    expect(parameter.name).toBe('limits');
    expect(await env.redivis.workflow(WF).parameter('limits').getValues()).toEqual([10]);
    await env.redivis.workflow(WF).parameter('limits').delete();
    expect(await env.redivis.workflow(WF).parameter('limits').exists()).toBe(false);
  });

  it('rejects non-scalar values with a 400 and duplicate names with a 409', async () => {
    const parameter = env.redivis.workflow(WF).parameter('bad');
    await expect(parameter.create({ values: [{ a: 1 } as never] })).rejects.toMatchObject({ status: 400 });
    await expect(
      env.redivis
        .workflow(WF)
        .parameter('elements')
        .create({ values: ['x'] }),
    ).rejects.toMatchObject({
      status: 409,
    });
  });
});

describe('Datasource', () => {
  it('the seeded source: get(), sourceDataset(), sourceWorkflow()', async () => {
    const source = env.redivis.datasource('demo.weather_sample', { workflow: WF });
    await source.get();
    expect(source.properties?.sourceDataset?.name).toBe('Weather sample');
    expect((await source.sourceDataset())?.qualifiedReference).toMatch(/^demo\.weather_sample/);
    expect(await source.sourceWorkflow()).toBeNull();
    expect(await source.exists()).toBe(true);
  });

  it('create() decides dataset vs workflow; update() pins a version, switches sample and maps tables', async () => {
    const workflow = env.redivis.workflow(WF);
    const source = workflow.datasource('demo.iris_species');
    expect(await source.exists()).toBe(false);
    await source.create();
    expect(source.properties?.sourceDataset?.name).toBe('Iris species');
    await source.update({ version: 'v1.0' });
    expect(source.properties?.sourceDataset?.qualifiedReference).toMatch(/:v1_0/);
    await source.update({ mappedTables: [['iris', 'iris']] });
    expect(source.properties?.mappedTables).toEqual({ iris: 'iris' });
    const viaWorkflow = workflow.datasource(env.redivis.workflow(WF));
    await viaWorkflow.create();
    expect(viaWorkflow.properties?.sourceWorkflow?.name).toBe('Weather analysis');
    await viaWorkflow.update({ sourceDataset: 'demo.versioned_dataset' });
    expect((await viaWorkflow.sourceDataset())?.qualifiedReference).toMatch(/^demo\.versioned_dataset/);
  });

  it('redivis.datasource() without a workflow is a usage error', () => {
    expect(() => env.redivis.datasource('demo.iris_species')).toThrow(ResourceUsageError);
  });
});

describe('Transform', () => {
  it('run() executes the SQL into the output table and waits; outputs and tables are readable', async () => {
    const transform = env.redivis.transform(`${WF}.element_counts`);
    await transform.get();
    expect(transform.properties?.query).toMatch(/GROUP BY element/);
    expect(await transform.outputTable()).toBeNull();
    await transform.run(fast);
    expect(transform.job?.status).toBe('completed');
    const output = await transform.outputTable();
    expect(output?.name).toBe('element_counts');
    const rows = (await output?.listRows()) ?? [];
    expect(rows.map((r) => r.element)).toEqual(['PRCP', 'SNOW', 'TMAX', 'TMIN']);
    expect(rows.reduce((s, r) => s + Number(r.observations), 0)).toBe(200);
    expect((await transform.sourceTable())?.name).toBe('daily_observations');
    expect((await transform.referencedTables()).map((t) => t.name)).toEqual(['daily_observations']);
    expect((await transform.sourceTables()).map((t) => t.name)).toEqual(['daily_observations']);
    expect(await transform.exists()).toBe(true);
  });

  it('update() changes the SQL; a failing query rejects run() with JobFailedError', async () => {
    const transform = env.redivis.workflow(WF).transform('element_counts');
    await transform.update({ query: 'SELECT missing_column FROM station_counts' });
    const error = await transform.run(fast).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).description).toMatch(/missing_column/);
    await transform.update({ query: 'SELECT station_id FROM station_counts', name: 'Element counts' });
    const started = await transform.run({ waitForFinish: false });
    expect(['running', 'completed']).toContain(started.job?.status);
    await transform.cancel();
    expect(['cancelled', 'completed']).toContain(transform.job?.status);
  });
});

describe('Notebook', () => {
  it('run() moves the job through its statuses; stop(); tables; update()', async () => {
    const notebook = env.redivis.workflow(WF).notebook('exploration');
    await notebook.run(fast);
    expect(notebook.job?.status).toBe('completed');
    const started = await notebook.run({ waitForFinish: false });
    expect(started.job?.status).toBe('queued');
    await notebook.stop();
    expect(notebook.job?.status).toBe('cancelled');
    expect((await notebook.sourceTable())?.name).toBe('station_counts');
    expect((await notebook.referencedTables()).map((t) => t.name)).toEqual(['station_counts']);
    expect((await notebook.sourceTables()).length).toBe(1);
    expect(await notebook.outputTable()).toBeNull();
    await notebook.update({
      name: 'Exploration 2',
      sourceTable: env.redivis.table('demo.iris_species.iris'),
    });
    expect(notebook.name).toBe('Exploration 2');
    expect((await notebook.sourceTable())?.name).toBe('iris');
    expect(await notebook.exists()).toBe(true);
    expect(await env.redivis.workflow(WF).notebook('nope').exists()).toBe(false);
  });
});

describe('Secret', () => {
  it('getValue() for organization and user secrets; other users get 404', async () => {
    expect(await env.redivis.organization('demo').secret('api_key').getValue()).toBe('demo-org-secret');
    expect(await env.redivis.user('demo_admin').secret('personal_key').getValue()).toBe('demo-admin-secret');
    const bob = env.as('rdv_demo_bob_token');
    await expect(bob.user('demo_admin').secret('personal_key').getValue()).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(env.redivis.organization('demo').secret('nope').getValue()).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('a member comment needs an administrator', async () => {
    const alice = env.as('rdv_demo_alice_token');
    await expect(alice.organization('demo').member('bob').addComment('hi')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });
});
