// Matrix rows for exports (spec §5.3), raw files (§5.4, Appendix A) and upload reads (§5.9.3). The seeded raw
// files and upload live on the public demo.iris_species (readable by anyone); the scoped rows use the weather
// tables and per-test exports, queries and uploads.
import { seededId } from '../src/store/ids.js';
import { DATA, dataReads, EDIT, type EndpointCase } from './authz-cases.js';
import { freshDataset, readBack } from './authz-dataset-cases.js';
import type { AuthzFixture } from './authz-helpers.js';
import { seg } from './authz-helpers.js';
import { addTable } from './authz-table-cases.js';

const STATIONS = `/tables/${seg('demo.weather_sample.stations')}`;
const IRIS = `/tables/${seg('demo.iris_species.iris')}`;
const DOCUMENTS = `/tables/${seg('demo.iris_species.documents')}`;

/** A completed export of the weather stations by alice. */
async function completedExport(f: AuthzFixture): Promise<string> {
  const token = await f.full('alice');
  const e = await f.ok<{ id: string }>({
    method: 'POST',
    path: `${STATIONS}/exports`,
    body: { format: 'csv' },
    token,
  });
  for (let i = 0; i < 200; i++) {
    const s = await f.ok<{ status: string }>({ method: 'GET', path: `/exports/${e.id}`, token });
    if (s.status === 'completed') return e.id;
    if (s.status === 'failed') throw new Error('setup export failed');
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('setup export did not complete');
}

/** An upload on a fresh table of an unreleased version (there is no endpoint creating uploads yet). */
async function freshUpload(f: AuthzFixture): Promise<string> {
  const table = await addTable(f, await freshDataset(f));
  const name = table.split('.').pop() as string;
  const row = await f.emu.ctx.db.one<{ id: string; storage: string }>(
    'SELECT id, storage FROM tables WHERE name = ?',
    [name],
  );
  if (!row) throw new Error(`table ${name} was not created`);
  const t = f.emu.ctx.now();
  await f.emu.ctx.db.run(
    `INSERT INTO uploads (id, table_id, name, type, status, error_message, storage, size, hash, num_rows,
       num_bytes, created_at, updated_at) VALUES (?, ?, 'data.csv', 'delimited', 'completed', NULL, ?, 0, NULL, 0, 0, ?, ?)`,
    [f.unique('upload'), row.id, row.storage, t, t],
  );
  return `/tables/${seg(table)}/uploads/data.csv`;
}

/** A file index table on a fresh unreleased version; returns its `/tables/…` path. */
async function freshFileIndexTable(f: AuthzFixture): Promise<string> {
  const dataset = await freshDataset(f);
  const name = f.unique('files');
  await f.ok({
    method: 'POST',
    path: `/datasets/${seg(dataset)}/tables`,
    body: { name, isFileIndex: true },
    token: await f.full('demo_admin'),
  });
  return `/tables/${seg(`${dataset}.${name}`)}`;
}

const open = (
  op: string,
  route: string,
  path: string,
  method: EndpointCase['method'] = 'GET',
): EndpointCase => ({
  op,
  method,
  route,
  user: 'carol',
  anyOf: [],
  anonymous: 'ok',
  prepare: async () => ({ path, ...(method === 'POST' ? { body: {} } : {}) }),
});

const irisFile = `${seededId('rawfile:README.txt', 4)}-${seededId('rawfile2:README.txt', 9)}`;

/** Exports, raw files and upload reads. */
export const FILE_CASES: EndpointCase[] = [
  {
    op: 'exports.post',
    method: 'POST',
    route: '/tables/:ref/exports',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async () => ({ path: `${STATIONS}/exports`, body: { format: 'csv' } }),
  },
  ...dataReads(
    [
      ['exports.get', '/exports/:id', ''],
      ['exports.download', '/exports/:id/download', '/download?filePart=0'],
    ],
    async (f) => `/exports/${await completedExport(f)}`,
  ),
  {
    op: 'rawFiles.list (query)',
    method: 'GET',
    route: '/queries/:id/rawFiles',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async (f) => {
      const body = { query: 'SELECT * FROM demo.iris_species.documents' };
      const q = await f.ok<{ id: string }>({
        method: 'POST',
        path: '/queries',
        body,
        token: await f.full('alice'),
      });
      return { path: `/queries/${q.id}/rawFiles` };
    },
  },
  open('rawFiles.list (table)', '/tables/:ref/rawFiles', `${DOCUMENTS}/rawFiles`),
  open('rawFiles.get', '/rawFiles/:id', `/rawFiles/${irisFile}`),
  open('uploads.rows', '/tables/:ref/uploads/:name/rows', `${IRIS}/uploads/iris.csv/rows`),
  {
    op: 'files.createSignedUrl',
    method: 'POST',
    route: '/rawFiles/:id/signedUrl',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async () => ({ path: `/rawFiles/${irisFile}/signedUrl`, body: { duration: 60 } }),
  },
  {
    op: 'files.post',
    method: 'POST',
    route: '/tables/:ref/rawFiles',
    user: 'demo_admin',
    anyOf: EDIT,
    anonymous: 401,
    prepare: async (f) => {
      const table = await freshFileIndexTable(f);
      const body = new FormData();
      body.append('file', new Blob(['hello']), 'hello.txt');
      return { path: `${table}/rawFiles`, body, readBack: readBack(f, table) };
    },
  },
  {
    op: 'files.post (legacy raw body)',
    method: 'POST',
    route: '/tables/:ref/files',
    user: 'demo_admin',
    anyOf: EDIT,
    anonymous: 401,
    prepare: async (f) => {
      const table = await freshFileIndexTable(f);
      return {
        path: `${table}/files?name=hello.txt`,
        body: new Blob(['hello']),
        readBack: readBack(f, table),
      };
    },
  },
  open('uploads.list', '/tables/:ref/uploads', `${IRIS}/uploads`),
  open('uploads.get', '/tables/:ref/uploads/:name', `${IRIS}/uploads/iris.csv`),
  open('uploads.listRows', '/tables/:ref/uploads/:name/rows', `${IRIS}/uploads/iris.csv/rows`),
  open(
    'uploads.variables.list',
    '/tables/:ref/uploads/:name/variables',
    `${IRIS}/uploads/iris.csv/variables`,
  ),
  open(
    'uploads.variables.get',
    '/tables/:ref/uploads/:name/variables/:v',
    `${IRIS}/uploads/iris.csv/variables/species`,
  ),
  open(
    'readSessions.post (upload)',
    '/tables/:ref/uploads/:name/readSessions',
    `${IRIS}/uploads/iris.csv/readSessions`,
    'POST',
  ),
  open(
    'readSessions.post (upload reference)',
    '/uploads/:uploadReference/readSessions',
    `/uploads/${encodeURIComponent(`iris_csv:${seededId('upload:iris.csv')}`)}/readSessions`,
    'POST',
  ),
  {
    op: 'uploads.delete',
    method: 'DELETE',
    route: '/tables/:ref/uploads/:name',
    user: 'demo_admin',
    anyOf: EDIT,
    anonymous: 401,
    prepare: async (f) => {
      const path = await freshUpload(f);
      return { path, readBack: readBack(f, path) };
    },
  },
];
