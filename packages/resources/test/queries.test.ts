import { JobFailedError } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Query, Variable } from '../src/index.js';
import { startTestEnv, type TestEnv } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.stop());

/** Counts POST /queries by wrapping the client's request method. */
function countingRedivis() {
  let posts = 0;
  const client = env.redivis.client;
  const counted = {
    ...client,
    request: ((spec) => {
      if (spec.method === 'POST' && spec.path === '/queries') posts++;
      return client.request(spec);
    }) as typeof client.request,
  };
  return { client: counted, posts: () => posts };
}

describe('Query', () => {
  it('is lazy: nothing is sent until first use, then it is created exactly once', async () => {
    const { createRedivis } = await import('../src/index.js');
    const counting = countingRedivis();
    const redivis = createRedivis(counting.client);
    const query = redivis.query('SELECT species, count(*) AS n FROM demo.iris_species.iris GROUP BY species');
    expect(query).toBeInstanceOf(Query);
    expect(query.uri).toBeUndefined();
    expect(counting.posts()).toBe(0);
    const [rows] = await Promise.all([query.listRows(), query.get(), query.waitForFinish()]);
    expect(counting.posts()).toBe(1);
    expect(rows).toHaveLength(3);
    expect(query.properties?.status).toBe('completed');
    expect(query.uri).toBe(`/queries/${query.id}`);
  });

  it('readers return the result rows (sum of sepal_length is 876.5)', async () => {
    const query = env.redivis.query('SELECT sum(sepal_length) AS total FROM demo.iris_species.iris');
    const rows = await query.listRows();
    expect(Math.round((rows[0]?.total as number) * 10) / 10).toBe(876.5);
    const table = await env.redivis
      .query('SELECT * FROM demo.iris_species.iris')
      .toArrowTable({ maxResults: 20 });
    expect(table.numRows).toBe(20);
  });

  it('toRowIterator waits for the query and streams its rows', async () => {
    const query = env.redivis.query(
      'SELECT species, count(*) AS n FROM demo.iris_species.iris GROUP BY species ORDER BY species',
    );
    const counts: number[] = [];
    for await (const [, n] of query.toRowIterator({ rowMode: 'arrays' })) counts.push(n as number);
    expect(counts).toEqual([50, 50, 50]);
  });

  it('listVariables() and variable() describe the output after completion', async () => {
    const query = env.redivis.query('SELECT species, sepal_length FROM demo.iris_species.iris');
    const variables = await query.listVariables();
    expect(variables.map((v) => v.name)).toEqual(['species', 'sepal_length']);
    const variable = await query.variable('sepal_length');
    expect(variable).toBeInstanceOf(Variable);
    expect((await variable.get()).properties?.type).toBe('float');
  });

  it('resolves unqualified names with defaultDataset / dataset.query() / workflow.query()', async () => {
    const viaOption = env.redivis.query('SELECT count(*) AS n FROM iris', {
      defaultDataset: 'demo.iris_species',
    });
    expect((await viaOption.listRows())[0]?.n).toBe(150);
    const viaDataset = env.redivis.dataset('demo.iris_species').query('SELECT count(*) AS n FROM iris');
    expect((await viaDataset.listRows())[0]?.n).toBe(150);
    const viaWorkflow = env.redivis
      .workflow('demo_admin.weather_analysis')
      .query('SELECT * FROM station_counts');
    expect((await viaWorkflow.listRows()).length).toBeGreaterThan(0);
    const viaEnv = env.as('rdv_demo_admin_token', { env: { REDIVIS_DEFAULT_DATASET: 'demo.iris_species' } });
    expect((await viaEnv.query('SELECT count(*) AS n FROM iris').listRows())[0]?.n).toBe(150);
  });

  it('a failed query rejects with JobFailedError carrying the server message', async () => {
    const query = env.redivis.query('SELECT no_such_column FROM demo.iris_species.iris');
    const error = await query.listRows().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobFailedError);
    expect((error as JobFailedError).kind).toBe('query');
    expect((error as JobFailedError).description).toMatch(/no_such_column/i);
    expect(query.properties?.status).toBe('failed');
  });

  it('waiting is abortable: an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('stop', 'AbortError'));
    const query = env.redivis.query('SELECT 1 AS x');
    await expect(query.waitForFinish({ signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect((await query.listRows())[0]?.x).toBe(1);
  });
});
