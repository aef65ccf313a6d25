// Matrix rows for owners, datasets and versions (spec §5.2, §5.11). Reads use demo.restricted_survey (not
// public: bob has metadata access, so anonymous callers get 404); writes act on fresh datasets of their own.
import type { AuthzFixture, TestUser } from './authz-helpers.js';
import { seg } from './authz-helpers.js';
import { EDIT, type EndpointCase, OVERVIEW, type Prepared, revealsPrivateName } from './authz-cases.js';

const RESTRICTED = 'demo.restricted_survey';

/**
 * Creates a private dataset in the workspace of `user` (demo_admin). Not in the demo organization: its dataset
 * list is read by other tests and grows slower with every dataset in it.
 */
export async function freshDataset(
  f: AuthzFixture,
  user: 'alice' | 'demo_admin' = 'demo_admin',
): Promise<string> {
  const name = f.unique('authz');
  await f.ok({
    method: 'POST',
    path: `/users/${user}/datasets`,
    body: { name, publicAccessLevel: 'none' },
    token: await f.full(user),
  });
  return `${user}.${name}`;
}

/**
 * Reads `path` back as `user` (demo_admin): status and body, or `pick(body)` for shared resources that concurrent
 * tests change (what a refused mutation must leave alone).
 */
export function readBack(
  f: AuthzFixture,
  path: string,
  user: TestUser = 'demo_admin',
  pick?: (body: Record<string, unknown>) => unknown,
): () => Promise<unknown> {
  return async () => {
    const r = await f.call({ method: 'GET', path, token: await f.full(user) });
    return { status: r.status, body: pick ? pick(r.body as Record<string, unknown>) : r.body };
  };
}

/** A write on a fresh dataset of demo_admin's. */
function datasetWrite(
  op: string,
  method: EndpointCase['method'],
  route: string,
  build: (f: AuthzFixture, ref: string) => Promise<Prepared> | Prepared,
): EndpointCase {
  return {
    op,
    method,
    route,
    user: 'demo_admin',
    anyOf: EDIT,
    anonymous: 401,
    prepare: async (f) => build(f, await freshDataset(f)),
  };
}

/** Owners, datasets and versions. */
export const DATASET_CASES: EndpointCase[] = [
  ...(['/organizations/demo', '/users/alice'] as const).map(
    (path): EndpointCase => ({
      op: `${path.split('/')[1]}.get`,
      method: 'GET',
      route: `/${path.split('/')[1]}/:name`,
      user: 'bob',
      anyOf: [],
      anonymous: 'ok',
      prepare: async () => ({ path }),
    }),
  ),
  {
    op: 'users.me',
    method: 'GET',
    route: '/users/me',
    user: 'bob',
    anyOf: [],
    anonymous: 401,
    prepare: async () => ({ path: '/users/me' }),
  },
  {
    op: 'datasets.list (organization)',
    method: 'GET',
    route: '/organizations/:name/datasets',
    user: 'bob',
    anyOf: OVERVIEW,
    anonymous: 'ok',
    prepare: async () => ({ path: '/organizations/demo/datasets', privateName: 'Restricted survey' }),
    reveals: revealsPrivateName,
  },
  {
    op: 'datasets.list (user)',
    method: 'GET',
    route: '/users/:name/datasets',
    user: 'alice',
    anyOf: OVERVIEW,
    anonymous: 'ok',
    prepare: async (f) => ({
      path: '/users/alice/datasets?maxResults=1000',
      privateName: (await freshDataset(f, 'alice')).split('.')[1] as string,
    }),
    reveals: revealsPrivateName,
  },
  ...(['organizations/demo', 'users/alice'] as const).map((owner): EndpointCase => {
    const user = owner === 'users/alice' ? 'alice' : 'demo_admin';
    return {
      op: `datasets.post (${owner.split('/')[0]})`,
      method: 'POST',
      route: `/${owner.split('/')[0]}/:name/datasets`,
      user,
      anyOf: EDIT,
      anonymous: 401,
      prepare: async (f) => {
        const name = f.unique('authz_new');
        return {
          path: `/${owner}/datasets`,
          body: { name, publicAccessLevel: 'none' },
          readBack: readBack(f, `/datasets/${seg(`${owner.split('/')[1]}.${name}`)}`, user),
        };
      },
    };
  }),
  {
    op: 'datasets.get',
    method: 'GET',
    route: '/datasets/:ref',
    user: 'bob',
    anyOf: OVERVIEW,
    anonymous: 404,
    prepare: async () => ({ path: `/datasets/${seg(RESTRICTED)}` }),
  },
  ...(['PATCH', 'POST'] as const).map((method) =>
    datasetWrite(`datasets.patch (${method})`, method, '/datasets/:ref', (f, ref) => ({
      path: `/datasets/${seg(ref)}`,
      body: { description: 'changed by the scope matrix' },
      readBack: readBack(f, `/datasets/${seg(ref)}`),
    })),
  ),
  datasetWrite('datasets.delete', 'DELETE', '/datasets/:ref', (f, ref) => ({
    path: `/datasets/${seg(ref)}`,
    readBack: readBack(f, `/datasets/${seg(ref)}`),
  })),
  {
    op: 'versions.list',
    method: 'GET',
    route: '/datasets/:ref/versions',
    user: 'bob',
    anyOf: OVERVIEW,
    anonymous: 404,
    prepare: async () => ({ path: `/datasets/${seg(RESTRICTED)}/versions` }),
  },
  {
    op: 'versions.get',
    method: 'GET',
    route: '/datasets/:ref/versions/:tag',
    user: 'bob',
    anyOf: OVERVIEW,
    anonymous: 404,
    prepare: async () => ({ path: `/datasets/${seg(RESTRICTED)}/versions/v1.0` }),
  },
  datasetWrite('versions.post', 'POST', '/datasets/:ref/versions', async (f, ref) => {
    // A fresh dataset starts with a next version: delete it so that one can be created.
    await f.ok({
      method: 'DELETE',
      path: `/datasets/${seg(ref)}/versions/next`,
      token: await f.full('demo_admin'),
    });
    return {
      path: `/datasets/${seg(ref)}/versions`,
      readBack: readBack(f, `/datasets/${seg(ref)}/versions`),
    };
  }),
  datasetWrite('versions.patch', 'PATCH', '/datasets/:ref/versions/:tag', (f, ref) => ({
    path: `/datasets/${seg(ref)}/versions/next`,
    body: { label: 'matrix label' },
    readBack: readBack(f, `/datasets/${seg(ref)}/versions/next`),
  })),
  datasetWrite('versions.delete', 'DELETE', '/datasets/:ref/versions/:tag', (f, ref) => ({
    path: `/datasets/${seg(ref)}/versions/next`,
    readBack: readBack(f, `/datasets/${seg(ref)}/versions/next`),
  })),
];
