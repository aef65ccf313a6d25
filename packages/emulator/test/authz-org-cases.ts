// Matrix rows for members and access (spec §5.1, §5.5: organization administrators with organization.read /
// organization.write), variables (§5.10) and workflows (§5.12).
import {
  EDIT,
  type EndpointCase,
  METADATA,
  ORG_READ,
  ORG_WRITE,
  OVERVIEW,
  revealsPrivateName,
} from './authz-cases.js';
import { readBack } from './authz-dataset-cases.js';
import { seg } from './authz-helpers.js';

const STATIONS = `/tables/${seg('demo.weather_sample.stations')}`;
const NOTES = `/tables/${seg('demo.versioned_dataset:next.notes')}`;
const WF = `/workflows/${seg('demo_admin.weather_analysis')}`;
const COUNTS = `/tables/${seg('demo_admin.weather_analysis.station_counts')}`;

const orgAdmin = (op: string, route: string, path: string): EndpointCase => ({
  op,
  method: 'GET',
  route,
  user: 'demo_admin',
  anyOf: ORG_READ,
  anonymous: 401,
  prepare: async () => ({ path }),
});

const metadataRead = (op: string, route: string, path: string): EndpointCase => ({
  op,
  method: 'GET',
  route,
  user: 'bob',
  anyOf: METADATA,
  anonymous: 401,
  prepare: async () => ({ path }),
});

/** A label edit (unique per test, so a refused one shows up if it lands) read back through the variable. */
const labelEdit = (op: string, route: string, path: string, name: string, bulk: boolean): EndpointCase => ({
  op,
  method: 'PATCH',
  route,
  user: 'demo_admin',
  anyOf: EDIT,
  anonymous: 401,
  prepare: async (f) => {
    const label = f.unique('label');
    return {
      path,
      body: bulk ? { variables: [{ name, label }] } : { label },
      readBack: readBack(
        f,
        name === 'observations' ? `${COUNTS}/variables/${name}` : `${NOTES}/variables/${name}`,
        'demo_admin',
        (v) => v.label === label,
      ),
    };
  },
});

/** Members, access, variables and workflows. */
export const ORG_CASES: EndpointCase[] = [
  orgAdmin('members.list', '/organizations/:name/members', '/organizations/demo/members'),
  orgAdmin('members.get', '/organizations/:name/members/:user', '/organizations/demo/members/bob'),
  orgAdmin(
    'access.list (member)',
    '/organizations/:name/members/:user/access',
    '/organizations/demo/members/bob/access',
  ),
  orgAdmin(
    'access.list (dataset)',
    '/datasets/:ref/access',
    `/datasets/${seg('demo.restricted_survey')}/access`,
  ),
  orgAdmin(
    'access.get',
    '/datasets/:ref/access/:user',
    `/datasets/${seg('demo.restricted_survey')}/access/bob`,
  ),
  {
    op: 'members.patch',
    method: 'PATCH',
    route: '/organizations/:name/members/:user',
    user: 'demo_admin',
    anyOf: ORG_WRITE,
    anonymous: 401,
    prepare: async (f) => {
      const label = f.unique('label');
      return {
        path: '/organizations/demo/members/bob',
        body: { labels: ['researcher', label] },
        readBack: readBack(f, '/organizations/demo/members/bob', 'demo_admin', (m) =>
          (m.labels as string[]).includes(label),
        ),
      };
    },
  },
  metadataRead('variables.list', '/tables/:ref/variables', `${STATIONS}/variables`),
  metadataRead('variables.get', '/tables/:ref/variables/:name', `${STATIONS}/variables/elevation`),
  metadataRead(
    'variables.statistics',
    '/tables/:ref/variables/:name/statistics',
    `${STATIONS}/variables/elevation/statistics`,
  ),
  labelEdit('variables.patch', '/tables/:ref/variables/:name', `${NOTES}/variables/note`, 'note', false),
  labelEdit('variables.bulkPatch (table)', '/tables/:ref/variables', `${NOTES}/variables`, 'note', true),
  labelEdit(
    'variables.bulkPatch (dataset)',
    '/datasets/:ref/variables',
    `/datasets/${seg('demo.versioned_dataset:next')}/variables`,
    'recorded',
    true,
  ),
  labelEdit(
    'variables.bulkPatch (workflow)',
    '/workflows/:ref/variables',
    `${WF}/variables`,
    'observations',
    true,
  ),
  {
    op: 'workflows.get',
    method: 'GET',
    route: '/workflows/:ref',
    user: 'alice',
    anyOf: OVERVIEW,
    anonymous: 404,
    prepare: async () => ({ path: WF }),
  },
  ...(
    [
      ['users', '/users/demo_admin/workflows', 'Weather analysis'],
      ['organizations', '/organizations/demo/workflows', 'Org private workflow'],
    ] as const
  ).map(
    ([owner, path, privateName]): EndpointCase => ({
      op: `workflows.list (${owner})`,
      method: 'GET',
      route: `/${owner}/:name/workflows`,
      user: 'alice',
      anyOf: OVERVIEW,
      anonymous: 'ok',
      prepare: async () => ({ path, privateName }),
      reveals: revealsPrivateName,
    }),
  ),
];
