import { datasetListItemSchema, datasetSchema, listEnvelopeSchema } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ALICE, BOB, call, headError, json } from './contract-helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seedRows: 1000 });
});
afterAll(async () => {
  await emu.stop();
});

type Dataset = Record<string, unknown> & { qualifiedReference: string; uri: string; name: string };
type List = { kind: string; results: Dataset[]; nextPageToken: string | null };

describe('datasets.list', () => {
  it('lists the demo datasets to the admin in a datasetList envelope with nextPageToken null', async () => {
    const { status, body, res } = await json<List>(emu, '/organizations/demo/datasets');
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    listEnvelopeSchema(datasetListItemSchema).parse(body);
    expect(body.kind).toBe('datasetList');
    expect(body.nextPageToken).toBeNull();
    expect(body.results.map((d) => d.name)).toEqual([
      'Demo files',
      'Iris species',
      'Restricted survey',
      'Versioned dataset',
      'Weather sample',
    ]);
    for (const d of body.results)
      expect(Number.isInteger(d.createdAt) && (d.createdAt as number) > 1e12).toBe(true);
  });

  it('shows anonymous callers only datasets public at overview or more, without labels', async () => {
    const { body } = await json<List>(emu, '/organizations/demo/datasets', { token: null });
    expect(body.results.map((d) => d.name)).toEqual([
      'Demo files',
      'Iris species',
      'Versioned dataset',
      'Weather sample',
    ]);
    expect(body.results.every((d) => !('labels' in d))).toBe(true);
  });

  it('pages with maxResults and opaque tokens until nextPageToken is null', async () => {
    const names: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const q: string = token ? `&pageToken=${token}` : '';
      const { body } = await json<List>(emu, `/organizations/demo/datasets?maxResults=1${q}`);
      names.push(...body.results.map((d) => d.name));
      token = body.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(5);
    expect(names).toHaveLength(5);
  });

  it('rejects oversize maxResults and bad page tokens with 400', async () => {
    const a = await json(emu, '/organizations/demo/datasets?maxResults=1001');
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ error: 'invalid_request', status: 400 });
    const b = await json(emu, '/organizations/demo/datasets?pageToken=garbage');
    expect(b.status).toBe(400);
    expect((await json(emu, '/organizations/demo/datasets?maxResults=-1')).status).toBe(400);
  });

  it('filters by labels (admin labels, every label must match)', async () => {
    const { body } = await json<List>(emu, '/organizations/demo/datasets?labels=climate,synthetic');
    expect(body.results.map((d) => d.name)).toEqual(['Weather sample']);
    const none = await json<List>(emu, '/organizations/demo/datasets?labels=climate', { token: ALICE });
    expect(none.body.results).toEqual([]);
  });

  it('404s unknown owners', async () => {
    expect((await call(emu, '/organizations/nobody/datasets')).status).toBe(404);
    expect((await call(emu, '/users/nobody/datasets')).status).toBe(404);
  });
});

describe('datasets.get', () => {
  const encodings = [
    'demo.iris_species',
    'DEMO.Iris%20species',
    'demo.IRIS_SPECIES%3Av1_0',
    'demo.iris_species:v1_0',
    'demo.iris_species:v1.0',
    'demo.iris_species%3Acurrent',
  ];
  it.each(encodings)('resolves %s', async (ref) => {
    const { status, body } = await json<Dataset>(emu, `/datasets/${ref}`);
    expect(status).toBe(200);
    datasetSchema.parse(body);
    expect(body.name).toBe('Iris species');
    expect(body.qualifiedReference).toMatch(/^demo\.iris_species:v1_0:[a-z0-9]{4}$/);
    expect(body).toHaveProperty('nextVersion', null);
  });

  it('resolves by reference id whatever the name, and suffixes in any order', async () => {
    const { body } = await json<Dataset>(emu, '/datasets/demo.iris_species');
    const id = body.referenceId as string;
    for (const ref of [
      `demo.renamed:${id}`,
      `demo.iris_species:${id}:v1_0`,
      `demo.iris_species:v1_0:${id}`,
    ]) {
      const r = await json<Dataset>(emu, `/datasets/${encodeURIComponent(ref)}`);
      expect(r.status).toBe(200);
      expect(r.body.id).toBe(body.id);
    }
    // The uri the server returns works as a path.
    expect((await call(emu, body.uri)).status).toBe(200);
  });

  it('applies exactReferences and strictReferences', async () => {
    const { body } = await json<Dataset>(emu, '/datasets/demo.iris_species');
    const id = body.referenceId as string;
    expect((await json(emu, '/datasets/demo.iris_species?exactReferences')).status).toBe(400);
    expect((await call(emu, `/datasets/demo.iris_species:${id}?exactReferences`)).status).toBe(200);
    expect((await call(emu, `/datasets/demo.other_name:${id}?strictReferences`)).status).toBe(400);
    expect((await call(emu, `/datasets/demo.iris_species:${id}?strictReferences`)).status).toBe(200);
  });

  it('400s malformed references and 404s unknown ones', async () => {
    const bad = await json(emu, '/datasets/no_owner');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_request', status: 400 });
    const missing = await json(emu, '/datasets/demo.missing_dataset');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found', status: 404 });
    expect((await call(emu, '/datasets/demo.iris_species:v9_9')).status).toBe(404);
  });

  it('answers HEAD with 200 or a 404 payload header', async () => {
    expect((await call(emu, '/datasets/demo.iris_species', { method: 'HEAD' })).status).toBe(200);
    const res = await call(emu, '/datasets/demo.nope', { method: 'HEAD' });
    expect(res.status).toBe(404);
    expect(headError(res)).toMatchObject({ error: 'not_found', status: 404 });
  });

  it('hides a non-public dataset (404) from anonymous callers and from users without access', async () => {
    expect((await call(emu, '/datasets/demo.restricted_survey', { token: null })).status).toBe(404);
    const bob = await json<Dataset>(emu, '/datasets/demo.restricted_survey', { token: BOB });
    expect(bob.status).toBe(200);
    expect(bob.body.accessLevel).toBe('metadata');
    expect(bob.body.nextVersion).toBeNull();
  });

  it('403s insufficient_scope when the user has access but the token lacks the scope', async () => {
    const { createApiToken } = await import('../src/auth/tokens.js');
    const { value } = await createApiToken(emu.ctx, {
      userName: 'bob',
      name: 'public only',
      scopes: ['public'],
    });
    const r = await json(emu, '/datasets/demo.restricted_survey', { token: value });
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: 'insufficient_scope', status: 403 });
    expect(r.body.scope).toBe('data.overview data.metadata data.data data.edit');
  });

  it('shows editors the next version and labels', async () => {
    const { body } = await json<Dataset & { nextVersion: { tag: string; datasetUri: string } }>(
      emu,
      '/datasets/demo.versioned_dataset',
    );
    expect(body.nextVersion.tag).toBe('next');
    expect(body.nextVersion.datasetUri).toMatch(/^\/datasets\/demo\.versioned_dataset:next:[a-z0-9]{4}$/);
    expect(body.labels).toEqual([]);
    const alice = await json<Dataset>(emu, '/datasets/demo.versioned_dataset', { token: ALICE });
    expect(alice.body.nextVersion).toBeNull();
    expect(alice.body).not.toHaveProperty('labels');
  });
});

describe('datasets.post / patch / delete', () => {
  it('creates a dataset (201) with an unreleased next version, then patches, renames and deletes it', async () => {
    const created = await json<Dataset & { nextVersion: { tag: string } }>(
      emu,
      '/organizations/demo/datasets',
      {
        method: 'POST',
        json: { name: 'Census dataset: 1940-1980', publicAccessLevel: 'overview', description: 'Counts.' },
      },
    );
    expect(created.status).toBe(201);
    datasetSchema.parse(created.body);
    expect(created.body.qualifiedReference).toMatch(/^demo\.census_dataset_1940_1980:next:[a-z0-9]{4}$/);
    expect(created.body.nextVersion.tag).toBe('next');

    const dup = await json(emu, '/organizations/demo/datasets', {
      method: 'POST',
      json: { name: 'census dataset 1940 1980', publicAccessLevel: 'none' },
    });
    expect(dup.status).toBe(409);

    const patched = await json<Dataset>(emu, '/datasets/demo.census_dataset_1940_1980', {
      method: 'PATCH',
      json: { description: 'New.', labels: ['Census', 'history'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ description: 'New.', labels: ['census', 'history'] });

    // The JS client updates with POST.
    const viaPost = await json<Dataset>(emu, '/datasets/demo.census_dataset_1940_1980', {
      method: 'POST',
      json: { name: 'Census 1940' },
    });
    expect(viaPost.status).toBe(200);
    expect(viaPost.body.name).toBe('Census 1940');

    const del = await call(emu, '/datasets/demo.census_1940', { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(del.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await del.text()).toBe('OK');
    expect((await call(emu, '/datasets/demo.census_1940')).status).toBe(404);
  });

  it('refuses bad bodies with 400 and changes nothing', async () => {
    const before = await json<Dataset>(emu, '/datasets/demo.iris_species');
    for (const body of [
      '{not json',
      '[1,2]',
      JSON.stringify({ publicAccessLevel: 'everything' }),
      JSON.stringify({ description: 'x'.repeat(257) }),
      JSON.stringify({ labels: 'a' }),
    ]) {
      const r = await json(emu, '/datasets/demo.iris_species', { method: 'PATCH', body });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ error: 'invalid_request', status: 400 });
    }
    const missingName = await json(emu, '/users/demo_admin/datasets', {
      method: 'POST',
      json: { description: 'x' },
    });
    expect(missingName.status).toBe(400);
    const after = await json<Dataset>(emu, '/datasets/demo.iris_species');
    expect(after.body).toEqual(before.body);
    const list = await json<List>(emu, '/users/demo_admin/datasets');
    expect(list.body.results).toEqual([]);
  });

  it('needs credentials (401), edit access (403 forbidden) and the data.edit scope (403 insufficient_scope)', async () => {
    const anon = await json(emu, '/datasets/demo.iris_species', { method: 'PATCH', token: null, json: {} });
    expect(anon.status).toBe(401);
    expect(anon.body).toMatchObject({ error: 'invalid_token', status: 401 });
    const alice = await json(emu, '/datasets/demo.weather_sample', {
      method: 'PATCH',
      token: ALICE,
      json: { description: 'x' },
    });
    expect(alice.status).toBe(403);
    expect(alice.body.error).toBe('forbidden');
    const bobCreate = await json(emu, '/users/bob/datasets', {
      method: 'POST',
      token: BOB,
      json: { name: 'mine' },
    });
    expect(bobCreate.status).toBe(403);
    expect(bobCreate.body).toMatchObject({ error: 'insufficient_scope', scope: 'data.edit' });
    const aliceForBob = await json(emu, '/users/bob/datasets', {
      method: 'POST',
      token: ALICE,
      json: { name: 'x' },
    });
    expect(aliceForBob.status).toBe(403);
    expect(aliceForBob.body.error).toBe('forbidden');
  });

  it('lets a user create datasets in their own workspace', async () => {
    const r = await json<Dataset>(emu, '/users/alice/datasets', {
      method: 'POST',
      token: ALICE,
      json: { name: 'Notes' },
    });
    expect(r.status).toBe(201);
    expect(r.body.owner).toMatchObject({ kind: 'user', name: 'alice' });
    expect(r.body.publicAccessLevel).toBe('none');
    const list = await json<List>(emu, '/users/alice/datasets', { token: ALICE });
    expect(list.body.results.map((d) => d.name)).toEqual(['Notes']);
    expect((await json<List>(emu, '/users/alice/datasets', { token: BOB })).body.results).toEqual([]);
  });
});
