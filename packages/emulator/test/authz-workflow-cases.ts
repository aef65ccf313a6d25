// Matrix rows for the client-only workflow endpoints (parameters, data sources, notebooks, transforms), secrets and
// member comments (client-libraries §0, rest-api Appendix A). The seeded workflow demo_admin.weather_analysis is
// private: alice may view it, demo_admin owns it, so anonymous callers get 404 on reads.
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { seededId } from '../src/store/ids.js';
import { DATA, EDIT, type EndpointCase, ORG_WRITE, type Prepared, WORKFLOW_WRITE } from './authz-cases.js';
import { freshDataset, readBack } from './authz-dataset-cases.js';
import type { AuthzFixture } from './authz-helpers.js';
import { seg } from './authz-helpers.js';

const WF = 'demo_admin.weather_analysis';
const W = `/workflows/${seg(WF)}`;
const NOTEBOOK = `/notebooks/${seg(`${WF}.exploration`)}`;
const TRANSFORM = `/transforms/${seg(`${WF}.element_counts`)}`;

const read = (op: string, route: string, path: string): EndpointCase => ({
  op,
  method: 'GET',
  route,
  user: 'alice',
  anyOf: DATA,
  anonymous: 404,
  prepare: async () => ({ path }),
});

/** Workflow edits need workflow.write and (through the edit access level) data.edit. */
const write = (
  op: string,
  method: EndpointCase['method'],
  route: string,
  prepare: (f: AuthzFixture) => Promise<Prepared>,
): EndpointCase => ({
  op,
  method,
  route,
  user: 'demo_admin',
  anyOf: WORKFLOW_WRITE,
  alsoNeeds: [EDIT],
  anonymous: 401,
  prepare,
});

async function freshParameter(f: AuthzFixture): Promise<string> {
  const name = f.unique('p');
  const token = await f.full('demo_admin');
  await f.ok({ method: 'POST', path: `${W}/parameters`, body: { name, values: ['a'] }, token });
  return name;
}

async function freshDataSource(f: AuthzFixture): Promise<string> {
  const body = { sourceDataset: await freshDataset(f) };
  const token = await f.full('demo_admin');
  return (await f.ok<{ id: string }>({ method: 'POST', path: `${W}/dataSources`, body, token })).id;
}

/**
 * A node of the seeded workflow for one test (there is no endpoint creating nodes), so runs and renames of
 * concurrent tests do not meet. Returns its path (addressed by reference id) and its id.
 */
async function freshNode(
  f: AuthzFixture,
  kind: 'notebook' | 'transform',
): Promise<{ path: string; id: string }> {
  const id = f.unique('node');
  const referenceId = f.unique('r').replace(/_/g, '');
  const t = f.emu.ctx.now();
  await f.emu.ctx.db.run('INSERT INTO wf_nodes VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)', [
    id,
    seededId('workflow:weather_analysis'),
    kind,
    referenceId,
    id,
    kind === 'transform'
      ? 'SELECT element, count(*) AS n FROM demo.weather_sample.daily_observations GROUP BY 1'
      : null,
    kind === 'notebook'
      ? 'demo_admin.weather_analysis.station_counts'
      : 'demo.weather_sample.daily_observations',
    `${id}_output`,
    t,
    t,
  ]);
  return { path: `/${kind}s/${seg(`${WF}.${id}:${referenceId}`)}`, id };
}

/** Jobs of a node and how many were cancelled: a refused run / stop / cancel must not touch them. */
function jobsOf(f: AuthzFixture, nodeId: string): () => Promise<unknown> {
  return () =>
    f.emu.ctx.db.one(
      "SELECT count(*) AS n, count(*) FILTER (WHERE status = 'cancelled') AS cancelled FROM wf_jobs WHERE node_id = ?",
      [nodeId],
    );
}

/**
 * A running job of a fresh notebook, inserted directly (the fixture's runs complete on a timer, and a refusal
 * test must find the job still running).
 */
async function runningNotebookJob(f: AuthzFixture): Promise<{ jobId: string; nodeId: string }> {
  const node = await freshNode(f, 'notebook');
  const jobId = `${f.unique('j').replace(/_/g, '')}-job`;
  await f.emu.ctx.db.run("INSERT INTO wf_jobs VALUES (?, ?, 'running', NULL, ?, NULL)", [
    jobId,
    node.id,
    f.emu.ctx.now(),
  ]);
  return { jobId, nodeId: node.id };
}

let parquetBytes: Promise<Uint8Array> | undefined;
/** A one-row Parquet file, written once by DuckDB. */
function oneParquetRow(): Promise<Uint8Array> {
  parquetBytes ??= (async () => {
    const path = join(tmpdir(), `authz-${process.pid}-${Date.now()}.parquet`);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT 1 AS n) TO '${path}' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
    const bytes = new Uint8Array(await readFile(path));
    await rm(path, { force: true });
    return bytes;
  })();
  return parquetBytes;
}

/** Workflow extras, secrets and member comments. */
export const WORKFLOW_CASES: EndpointCase[] = [
  read('notebooks.list', '/workflows/:ref/notebooks', `${W}/notebooks`),
  read('transforms.list', '/workflows/:ref/transforms', `${W}/transforms`),
  read('parameters.list', '/workflows/:ref/parameters', `${W}/parameters`),
  read('parameters.get', '/workflows/:ref/parameters/:name', `${W}/parameters/elements`),
  read('dataSources.list', '/workflows/:ref/dataSources', `${W}/dataSources`),
  read(
    'dataSources.get',
    '/workflows/:ref/dataSources/:source',
    `${W}/dataSources/${seededId('datasource:weather_sample')}`,
  ),
  read('notebooks.get', '/notebooks/:ref', NOTEBOOK),
  read('transforms.get', '/transforms/:ref', TRANSFORM),
  write('parameters.post', 'POST', '/workflows/:ref/parameters', async (f) => {
    const name = f.unique('p');
    return {
      path: `${W}/parameters`,
      body: { name, values: ['x'] },
      readBack: readBack(f, `${W}/parameters/${name}`),
    };
  }),
  write('parameters.patch', 'PATCH', '/workflows/:ref/parameters/:name', async (f) => {
    const path = `${W}/parameters/${await freshParameter(f)}`;
    return { path, body: { values: ['changed'] }, readBack: readBack(f, path) };
  }),
  write('parameters.delete', 'DELETE', '/workflows/:ref/parameters/:name', async (f) => {
    const path = `${W}/parameters/${await freshParameter(f)}`;
    return { path, readBack: readBack(f, path) };
  }),
  write('dataSources.post', 'POST', '/workflows/:ref/dataSources', async (f) => {
    const source = await freshDataset(f);
    return {
      path: `${W}/dataSources`,
      body: { sourceDataset: source },
      readBack: async () =>
        f.emu.ctx.db.one('SELECT count(*) AS n FROM wf_datasources WHERE source_ref = ?', [source]),
    };
  }),
  write('dataSources.patch', 'PATCH', '/workflows/:ref/dataSources/:source', async (f) => {
    const path = `${W}/dataSources/${await freshDataSource(f)}`;
    return { path, body: { mappedTables: { a: 'b' } }, readBack: readBack(f, path) };
  }),
  ...(['notebook', 'transform'] as const).map((kind) =>
    write(`${kind}s.patch`, 'PATCH', `/${kind}s/:ref`, async (f) => {
      const node = await freshNode(f, kind);
      return { path: node.path, body: { name: f.unique('renamed') }, readBack: readBack(f, node.path) };
    }),
  ),
  ...(
    [
      ['notebooks.run', 'notebook', 'run'],
      ['notebooks.stop', 'notebook', 'stop'],
      ['transforms.run', 'transform', 'run'],
      ['transforms.cancel', 'transform', 'cancel'],
    ] as const
  ).map(([op, kind, action]) =>
    write(op, 'POST', `/${kind}s/:ref/${action}`, async (f) => {
      const node = await freshNode(f, kind);
      if (action !== 'run') {
        // Something to stop or cancel: a run started by the owner.
        await f.ok({ method: 'POST', path: `${node.path}/run`, token: await f.full('demo_admin') });
      }
      return { path: `${node.path}/${action}`, readBack: jobsOf(f, node.id) };
    }),
  ),
  write('notebookJobs.tempUploads', 'POST', '/notebookJobs/:jobId/tempUploads', async (f) => {
    const { jobId } = await runningNotebookJob(f);
    return {
      path: `/notebookJobs/${jobId}/tempUploads`,
      body: { tempUploads: [{ size: 10, resumable: false }] },
      readBack: () => f.emu.ctx.db.one('SELECT count(*) AS n FROM temp_uploads WHERE job_id = ?', [jobId]),
    };
  }),
  write('notebookJobs.outputTable', 'PUT', '/notebookJobs/:jobId/outputTable', async (f) => {
    const { jobId, nodeId } = await runningNotebookJob(f);
    const bytes = await oneParquetRow();
    const token = await f.full('demo_admin');
    const slots = await f.ok<{ results: Array<{ id: string; url: string }> }>({
      method: 'POST',
      path: `/notebookJobs/${jobId}/tempUploads`,
      body: { tempUploads: [{ size: bytes.length, resumable: false }] },
      token,
    });
    const slot = slots.results[0] as { id: string; url: string };
    const put = await fetch(slot.url, { method: 'PUT', body: bytes as BodyInit });
    if (put.status !== 200) throw new Error(`temp upload PUT answered ${put.status}`);
    return {
      path: `/notebookJobs/${jobId}/outputTable`,
      body: { name: f.unique('out'), append: false, geographyVariables: null, tempUploadId: slot.id },
      readBack: () => f.emu.ctx.db.one('SELECT output_table_id FROM wf_nodes WHERE id = ?', [nodeId]),
    };
  }),
  {
    op: 'members.comments.post',
    method: 'POST',
    route: '/organizations/:name/members/:user/comments',
    user: 'demo_admin',
    anyOf: ORG_WRITE,
    anonymous: 401,
    prepare: async (f) => {
      const text = f.unique('comment');
      return {
        path: '/organizations/demo/members/bob/comments',
        body: { text },
        readBack: () => f.emu.ctx.db.one('SELECT count(*) AS n FROM member_comments WHERE text = ?', [text]),
      };
    },
  },
];

/** Endpoints open to any token of the right user (no scope named in the spec). */
export const SECRET_CASES: EndpointCase[] = [
  {
    op: 'secrets.get (user)',
    method: 'GET',
    route: '/users/:name/secrets/:secret',
    user: 'demo_admin',
    anyOf: [],
    anonymous: 401,
    prepare: async () => ({ path: '/users/demo_admin/secrets/personal_key' }),
  },
  {
    op: 'secrets.get (organization)',
    method: 'GET',
    route: '/organizations/:name/secrets/:secret',
    user: 'bob',
    anyOf: [],
    anonymous: 401,
    prepare: async () => ({ path: '/organizations/demo/secrets/api_key' }),
  },
];
