// Matrix rows for the write half of uploads (spec §5.8.1 createTempUploads, §5.9.1 uploads.post, §5.9.2
// insertRows): edit access with data.edit on a fresh table of an unreleased version. The temp-upload byte URLs are
// served outside /api/v1 (capability URLs, like signed storage URLs) and are not part of the matrix.
import { EDIT, type EndpointCase } from './authz-cases.js';
import { freshDataset, readBack } from './authz-dataset-cases.js';
import type { AuthzFixture } from './authz-helpers.js';
import { seg } from './authz-helpers.js';
import { addTable } from './authz-table-cases.js';

const STREAM = { name: 'rows', type: 'stream', schema: [{ name: 'a', type: 'integer' }] };

async function freshTablePath(f: AuthzFixture): Promise<string> {
  return `/tables/${seg(await addTable(f, await freshDataset(f)))}`;
}

export const UPLOAD_CASES: EndpointCase[] = [
  {
    op: 'uploads.post',
    method: 'POST',
    route: '/tables/:ref/uploads',
    user: 'demo_admin',
    anyOf: EDIT,
    anonymous: 401,
    prepare: async (f) => {
      const table = await freshTablePath(f);
      return { path: `${table}/uploads`, body: STREAM, readBack: readBack(f, `${table}/uploads`) };
    },
  },
  {
    op: 'uploads.insertRows',
    method: 'POST',
    route: '/tables/:ref/uploads/:name/rows',
    user: 'demo_admin',
    anyOf: EDIT,
    anonymous: 401,
    prepare: async (f) => {
      const table = await freshTablePath(f);
      await f.ok({
        method: 'POST',
        path: `${table}/uploads`,
        body: STREAM,
        token: await f.full('demo_admin'),
      });
      return {
        path: `${table}/uploads/rows/rows`,
        body: { rows: [{ a: 1 }] },
        readBack: readBack(f, `${table}/rows`),
      };
    },
  },
  {
    op: 'tables.createTempUploads',
    method: 'POST',
    route: '/tables/:ref/tempUploads',
    user: 'demo_admin',
    anyOf: EDIT,
    anonymous: 401,
    prepare: async (f) => ({
      path: `${await freshTablePath(f)}/tempUploads`,
      body: { tempUploads: [{ size: 3, name: 'x.csv', resumable: false }] },
    }),
  },
  {
    op: 'tables.resumableUpload (legacy)',
    method: 'POST',
    route: '/tables/:ref/resumableUpload',
    user: 'demo_admin',
    anyOf: EDIT,
    anonymous: 401,
    prepare: async (f) => ({ path: `${await freshTablePath(f)}/resumableUpload?size=3` }),
  },
];
