import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createClient,
  JobFailedError,
  NotFoundError,
  RedivisError,
  UnauthorizedError,
} from '../src/index.js';
import redivis, {
  clearApiProxy,
  Dataset,
  Query,
  Table,
  Variable,
  Version,
  authorize,
  deauthorize,
  isAuthorized,
  organization,
  query,
  setApiProxy,
  user,
} from '../src/compat/index.js';

// The facade keeps module state like the official client: one endpoint (REDIVIS_API_ENDPOINT) and one token.
let emu: RunningEmulator;
const savedEnv = { endpoint: process.env.REDIVIS_API_ENDPOINT, token: process.env.REDIVIS_API_TOKEN };
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 50, rateLimit: false });
  process.env.REDIVIS_API_ENDPOINT = emu.url;
  delete process.env.REDIVIS_API_TOKEN;
});
afterAll(async () => {
  for (const [key, value] of [
    ['REDIVIS_API_ENDPOINT', savedEnv.endpoint],
    ['REDIVIS_API_TOKEN', savedEnv.token],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await emu?.stop();
});
afterEach(async () => {
  await deauthorize();
  clearApiProxy();
});

describe('the official entry points', () => {
  it('has the default export of the official package', () => {
    expect(Object.keys(redivis).sort()).toEqual(
      expect.arrayContaining([
        'authorize',
        'deauthorize',
        'isAuthorized',
        'organization',
        'query',
        'setApiProxy',
        'user',
      ]),
    );
  });

  it('authorize / isAuthorized / deauthorize', async () => {
    expect(await isAuthorized()).toBe(false);
    await authorize({ apiToken: 'rdv_demo_alice_token' });
    expect(await isAuthorized()).toBe(true);
    await deauthorize();
    expect(await isAuthorized()).toBe(false);
    await expect(authorize()).rejects.toThrow(TypeError);
  });
});

describe('Organization, Dataset, Version, Table, Variable', () => {
  it('listDatasets yields datasets usable for further calls (the official identifier reads [object Object])', async () => {
    await authorize({ apiToken: 'rdv_demo_admin_token' });
    const datasets = await organization('demo').listDatasets();
    const iris = datasets.find((d) => d.name === 'Iris species' || d.getProperty('name') === 'Iris species');
    expect(iris).toBeInstanceOf(Dataset);
    for (const d of datasets) expect(d.identifier).not.toContain('[object Object]');
    const tables = await (iris as Dataset).listTables();
    expect(tables.map((t) => t.name)).toContain('iris');
    const irisTable = tables.find((t) => t.name === 'iris') as Table;
    expect(await irisTable.listRows(3)).toHaveLength(3);
  });

  it('reads a table: get, exists, listVariables, variable, listRows with variables', async () => {
    const table = organization('demo').dataset('iris_species').table('iris');
    expect(await table.exists()).toBe(true);
    expect(await organization('demo').dataset('iris_species').table('nope').exists()).toBe(false);
    await table.get();
    expect(table.hasPopulatedProperties).toBe(true);
    expect(table.getProperty('numRows')).toBe(150);
    const variables = await table.listVariables();
    expect(variables[0]).toBeInstanceOf(Variable);
    expect(variables.map((v) => v.name)).toContain('sepal_length');
    const species = table.variable('species');
    expect(await species.exists()).toBe(true);
    await species.get();
    expect(species.getProperty('type')).toBe('string');
    const rows = await table.listRows({ maxResults: 150, variables: ['SPECIES', 'sepal_length'] });
    expect(rows).toHaveLength(150);
    expect(Object.keys(rows[0] as object)).toEqual(['species', 'sepal_length']);
    expect(rows.reduce((sum, r) => sum + (r.sepal_length as number), 0)).toBeCloseTo(876.5, 6);
  });

  it('listRows(0) returns no rows (the official client reads every row)', async () => {
    const table = organization('demo').dataset('iris_species').table('iris');
    expect(await table.listRows(0)).toEqual([]);
  });

  it('converts values like the official client: integer → number, date → Date, time → seconds', async () => {
    await authorize({ apiToken: 'rdv_demo_alice_token' });
    const table = organization('demo').dataset('weather_sample').table('daily_observations');
    const rows = await table.listRows(50, { onPrecisionLoss: () => {} });
    const withDate = rows.find((r) => r.date !== null);
    expect(withDate?.date).toBeInstanceOf(Date);
    expect((withDate?.date as Date).getUTCHours()).toBe(0);
    const withTime = rows.find((r) => r.obs_time !== null);
    expect(typeof withTime?.obs_time).toBe('number');
    expect(withTime?.obs_time as number).toBeLessThan(86_400);
    const withValue = rows.find((r) => r.value !== null);
    expect(typeof withValue?.value).toBe('number');
    const withStamp = rows.find((r) => r.observed_at !== null);
    expect(withStamp?.observed_at).toBeInstanceOf(Date);
  });

  it('says so when a Date drops microseconds, and keeps them on request', async () => {
    await authorize({ apiToken: 'rdv_demo_alice_token' });
    const sql = "SELECT CAST('2020-01-02 03:04:05.123456' AS DATETIME) AS ts, 1 AS n";
    const warnings: string[] = [];
    const [row] = await query(sql).listRows({ onPrecisionLoss: (m) => warnings.push(m) });
    expect((row?.ts as Date).toISOString()).toBe('2020-01-02T03:04:05.123Z');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"ts"');
    const [exact] = await query(sql).listRows({ preciseDateTimes: true });
    expect(exact?.ts).toBe('2020-01-02T03:04:05.123456');
  });

  it('Dataset create / update / createNextVersion / release / listVersions / Version.get / delete', async () => {
    await authorize({ apiToken: 'rdv_demo_admin_token' });
    const dataset = organization('demo').dataset('compat_lifecycle');
    expect(await dataset.exists()).toBe(false);
    await dataset.create({ description: 'made by the compat test' });
    expect(dataset.getProperty('publicAccessLevel')).toBe('none');
    await dataset.update({ description: 'updated' });
    expect(dataset.getProperty('description')).toBe('updated');
    const next = await dataset.createNextVersion({ ignoreIfExists: true });
    expect(next.version).toBe('next');
    // A release needs a change: a new table in the next version (made with redivis-ts, the facade has no uploads).
    await createClient({ baseUrl: emu.url, apiToken: 'rdv_demo_admin_token' })
      .dataset('demo.compat_lifecycle', { version: 'next' })
      .table('numbers')
      .create();
    await expect(dataset.createNextVersion()).rejects.toThrow(/already exists/);
    const released = await dataset.release();
    expect(released).toBeInstanceOf(Dataset);
    expect(released.getProperty('version')).toMatchObject({ tag: 'v1.0' });
    const versions = await released.listVersions();
    expect(versions[0]).toBeInstanceOf(Version);
    const version = await (versions[0] as Version).get();
    expect(version.getProperty('tag')).toBe((versions[0] as Version).tag);
    await released.delete();
    expect(await dataset.exists()).toBe(false);
  });
});

describe('Query, User, Project', () => {
  it('runs a query: get, listVariables, listRows; dataset.query resolves unqualified names', async () => {
    await authorize({ apiToken: 'rdv_demo_alice_token' });
    const q = query(
      'SELECT species, count(*) AS n FROM demo.iris_species.iris GROUP BY species ORDER BY species',
    );
    await q.get();
    expect(q.getProperty('id')).toBeTypeOf('string');
    const variables = await q.listVariables();
    expect(variables.map((v) => v.name)).toEqual(['species', 'n']);
    expect(await q.listRows()).toEqual([
      { species: 'setosa', n: 50 },
      { species: 'versicolor', n: 50 },
      { species: 'virginica', n: 50 },
    ]);
    const scoped = organization('demo').dataset('iris_species').query('SELECT count(*) AS n FROM iris');
    expect(await scoped.listRows()).toEqual([{ n: 150 }]);
  });

  it('a failed query POST keeps its status and type (the official client throws a plain Error)', async () => {
    await authorize({ apiToken: 'rdv_demo_bob_token' });
    const error = await query('SELECT * FROM demo.restricted_survey.responses')
      .listRows()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedivisError);
    expect((error as RedivisError).status).toBe(403);
    expect((error as RedivisError).method).toBe('POST');
    await authorize({ apiToken: 'rdv_demo_alice_token' });
    const failed = await query('SELECT no_such_column FROM demo.iris_species.iris')
      .listRows()
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RedivisError);
    expect(failed instanceof JobFailedError || (failed as RedivisError).status === 400).toBe(true);
  });

  it('User.project is a workflow: listTables, table, query; getProperty works on Project and Version', async () => {
    await authorize({ apiToken: 'rdv_demo_alice_token' });
    const project = user('demo_admin').project('weather_analysis');
    const tables = await project.listTables();
    expect(tables.map((t) => t.name)).toEqual(['station_counts']);
    expect(project.getProperty('name')).toBeUndefined();
    const rows = await project.table('station_counts').listRows(2);
    expect(rows).toHaveLength(2);
    const viaQuery = await project.query('SELECT count(*) AS n FROM station_counts').listRows();
    expect(viaQuery).toEqual([{ n: 25 }]);
    const version = new Version('v1.0', { dataset: organization('demo').dataset('iris_species') });
    expect(version.getProperty('tag')).toBeUndefined();
    expect((await version.get()).getProperty('tag')).toBe('v1.0');
    const userDataset = user('alice').dataset('nothing_here');
    expect(await userDataset.exists()).toBe(false);
  });
});

describe('auth and transport differences', () => {
  it('the token follows authorize / deauthorize for objects made before (the official client keeps the first)', async () => {
    const table = organization('demo').dataset('restricted_survey').table('responses');
    await authorize({ apiToken: 'rdv_demo_alice_token' });
    expect((await table.listRows(1)).length).toBe(1);
    await deauthorize();
    const anonymous = await table.listRows(1).catch((e: unknown) => e);
    expect(anonymous).toBeInstanceOf(NotFoundError);
    await authorize({ apiToken: 'rdv_demo_bob_token' });
    const bob = await table.listRows(1).catch((e: unknown) => e);
    expect((bob as RedivisError).status).toBe(403);
  });

  it('an http:// endpoint works without a token for public data (the official client starts an OAuth prompt)', async () => {
    expect(emu.url.startsWith('http://')).toBe(true);
    expect(await isAuthorized()).toBe(false);
    const rows = await organization('demo').dataset('iris_species').table('iris').listRows(2);
    expect(rows).toHaveLength(2);
    const error = await organization('demo')
      .dataset('compat_anonymous')
      .create()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
  });

  it('setApiProxy sends the proxy headers and no token of its own', async () => {
    await authorize({ apiToken: 'rdv_demo_bob_token' });
    setApiProxy(emu.url, { headers: { Authorization: 'Bearer rdv_demo_alice_token' } });
    const rows = await organization('demo').dataset('restricted_survey').table('responses').listRows(1);
    expect(rows).toHaveLength(1);
    expect(() => setApiProxy('')).toThrow(TypeError);
    expect(() => setApiProxy({ baseUrl: 'ftp://example.com' })).toThrow(TypeError);
  });

  it('constructors reject missing names and parents with TypeError', () => {
    expect(() => new Table('t', {})).toThrow(TypeError);
    expect(() => new Dataset('d', {})).toThrow(TypeError);
    expect(() => new Query('')).toThrow(TypeError);
  });
});
