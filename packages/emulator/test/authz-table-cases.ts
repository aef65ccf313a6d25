// Matrix rows for tables (spec §5.8) and for the version operations that need a table to release (§5.11).
import { DATA, EDIT, type EndpointCase, OVERVIEW, type Prepared } from './authz-cases.js';
import { freshDataset, readBack } from './authz-dataset-cases.js';
import type { AuthzFixture } from './authz-helpers.js';
import { seg } from './authz-helpers.js';

/** Adds a table to the next version of `datasetRef` (as demo_admin); returns its qualified reference. */
export async function addTable(f: AuthzFixture, datasetRef: string): Promise<string> {
  const name = f.unique('t');
  await f.ok({
    method: 'POST',
    path: `/datasets/${seg(datasetRef)}/tables`,
    body: { name },
    token: await f.full('demo_admin'),
  });
  return `${datasetRef}.${name}`;
}

/** Releases the next version of `datasetRef` (as demo_admin). */
async function release(f: AuthzFixture, datasetRef: string): Promise<void> {
  const token = await f.full('demo_admin');
  await f.ok({ method: 'POST', path: `/datasets/${seg(datasetRef)}/versions/next/release`, body: {}, token });
}

/** A fresh dataset of demo_admin's whose next version holds one table. */
async function withTable(f: AuthzFixture): Promise<{ dataset: string; table: string }> {
  const dataset = await freshDataset(f);
  return { dataset, table: await addTable(f, dataset) };
}

function adminWrite(
  op: string,
  method: EndpointCase['method'],
  route: string,
  prepare: (f: AuthzFixture) => Promise<Prepared>,
): EndpointCase {
  return { op, method, route, user: 'demo_admin', anyOf: EDIT, anonymous: 401, prepare };
}

const versionPath = (ref: string, tag: string) => `/datasets/${seg(ref)}/versions/${tag}`;

/** Tables and the release / unrelease / undelete of versions. */
export const TABLE_CASES: EndpointCase[] = [
  {
    op: 'tables.get',
    method: 'GET',
    route: '/tables/:ref',
    user: 'bob',
    anyOf: OVERVIEW,
    anonymous: 404,
    prepare: async () => ({ path: `/tables/${seg('demo.restricted_survey.responses')}` }),
  },
  {
    op: 'tables.list (dataset)',
    method: 'GET',
    route: '/datasets/:ref/tables',
    user: 'bob',
    anyOf: OVERVIEW,
    anonymous: 404,
    prepare: async () => ({ path: `/datasets/${seg('demo.restricted_survey')}/tables` }),
  },
  {
    op: 'tables.list (workflow)',
    method: 'GET',
    route: '/workflows/:ref/tables',
    user: 'alice',
    anyOf: OVERVIEW,
    anonymous: 404,
    prepare: async () => ({ path: `/workflows/${seg('demo_admin.weather_analysis')}/tables` }),
  },
  {
    op: 'tables.listRows',
    method: 'GET',
    route: '/tables/:ref/rows',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async () => ({
      path: `/tables/${seg('demo.weather_sample.daily_observations')}/rows?maxResults=3`,
    }),
  },
  adminWrite('tables.post', 'POST', '/datasets/:ref/tables', async (f) => {
    const dataset = await freshDataset(f);
    return {
      path: `/datasets/${seg(dataset)}/tables`,
      body: { name: 'new_table' },
      readBack: readBack(f, `/datasets/${seg(dataset)}/tables`),
    };
  }),
  adminWrite('tables.patch', 'PATCH', '/tables/:ref', async (f) => {
    const { table } = await withTable(f);
    return {
      path: `/tables/${seg(table)}`,
      body: { description: 'changed by the scope matrix' },
      readBack: readBack(f, `/tables/${seg(table)}`),
    };
  }),
  adminWrite('tables.delete', 'DELETE', '/tables/:ref', async (f) => {
    const { table } = await withTable(f);
    return { path: `/tables/${seg(table)}`, readBack: readBack(f, `/tables/${seg(table)}`) };
  }),
  adminWrite('versions.release', 'POST', '/datasets/:ref/versions/:tag/release', async (f) => {
    const { dataset } = await withTable(f);
    return {
      path: `${versionPath(dataset, 'next')}/release`,
      body: { releaseNotes: 'matrix' },
      readBack: readBack(f, versionPath(dataset, 'next')),
    };
  }),
  adminWrite('versions.unrelease', 'POST', '/datasets/:ref/versions/:tag/unrelease', async (f) => {
    const { dataset } = await withTable(f);
    await release(f, dataset);
    return {
      path: `${versionPath(dataset, 'current')}/unrelease`,
      readBack: readBack(f, versionPath(dataset, 'current')),
    };
  }),
  adminWrite('versions.undelete', 'POST', '/datasets/:ref/versions/:tag/undelete', async (f) => {
    // v1.0 released, v1.1 released on top of it, then v1.0 deleted: it can be undeleted.
    const { dataset } = await withTable(f);
    await release(f, dataset);
    const token = await f.full('demo_admin');
    await f.ok({ method: 'POST', path: `/datasets/${seg(dataset)}/versions`, token });
    await addTable(f, `${dataset}:next`);
    await release(f, dataset);
    await f.ok({ method: 'DELETE', path: versionPath(dataset, 'v1.0'), token });
    return {
      path: `${versionPath(dataset, 'v1.0')}/undelete`,
      readBack: readBack(f, versionPath(dataset, 'v1.0')),
    };
  }),
];
