import { listEnvelopeSchema, versionSchema } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ALICE, call, json } from './contract-helpers.js';

let emu: RunningEmulator;
let clock = Date.now();
beforeAll(async () => {
  emu = await startEmulator({ seedRows: 1000, now: () => clock });
});
afterAll(async () => {
  await emu.stop();
});

type Version = Record<string, unknown> & { tag: string; uri: string; datasetUri: string };
const V = '/datasets/demo.versioned_dataset';

describe('versions', () => {
  it('lists versions newest first; the next version only for editors', async () => {
    const { status, body } = await json<{ results: Version[]; nextPageToken: null }>(emu, `${V}/versions`);
    expect(status).toBe(200);
    listEnvelopeSchema(versionSchema.partial({ previousVersion: true, nextVersion: true })).parse(body);
    expect(body.results.map((v) => v.tag)).toEqual(['next', 'v1.0']);
    const alice = await json<{ results: Version[] }>(emu, `${V}/versions`, { token: ALICE });
    expect(alice.body.results.map((v) => v.tag)).toEqual(['v1.0']);
  });

  it.each([
    'v1.0',
    'v1_0',
    '1.0',
    'current',
  ])('gets %s with previousVersion and nextVersion keys', async (tag) => {
    const { status, body } = await json<Version>(emu, `${V}/versions/${tag}`);
    expect(status).toBe(200);
    versionSchema.parse(body);
    expect(body.tag).toBe('v1.0');
    expect(body.previousVersion).toBeNull();
    expect(body.nextVersion).toMatchObject({ tag: 'next' });
    expect(body.datasetUri).toMatch(/^\/datasets\/demo\.versioned_dataset:v1_0:[a-z0-9]{4}$/);
    expect((await call(emu, body.uri)).status).toBe(200);
  });

  it('hides next from non-editors, 404s unknown tags and 400s malformed ones', async () => {
    expect((await call(emu, `${V}/versions/next`, { token: ALICE })).status).toBe(404);
    expect((await call(emu, `${V}/versions/v7.0`)).status).toBe(404);
    expect((await call(emu, `${V}/versions/latest`)).status).toBe(400);
  });

  it('refuses a second next version with 400', async () => {
    const r = await json(emu, `${V}/versions`, { method: 'POST' });
    expect(r.status).toBe(400);
  });

  it('releases next as a major version when a table was removed, with release notes', async () => {
    const r = await json<Version>(emu, `${V}/versions/next/release`, {
      method: 'POST',
      json: { releaseNotes: 'Second.' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      tag: 'v2.0',
      isReleased: true,
      releaseNotes: 'Second.',
      nextVersion: null,
    });
    expect(r.body.datasetUri).toMatch(/:v2_0:/);
    const tables = await json<{ results: Array<{ name: string }> }>(emu, `${V}/tables`);
    expect(tables.body.results.map((t) => t.name).sort()).toEqual(['measurements', 'notes']);
    const old = await json<{ results: Array<{ name: string }> }>(
      emu,
      `/datasets/demo.versioned_dataset:v1_0/tables`,
    );
    expect(old.body.results.map((t) => t.name).sort()).toEqual(['measurements', 'sites']);
  });

  it('unreleases within 7 days only', async () => {
    const r = await json<Version>(emu, `${V}/versions/current/unrelease`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tag: 'next', isReleased: false });
    expect(r.body.datasetUri).toMatch(/:next:/);
    const again = await json<Version>(emu, `${V}/versions/next/release`, { method: 'POST' });
    expect(again.body.tag).toBe('v2.0');
    clock += 8 * 86_400_000;
    const late = await json(emu, `${V}/versions/current/unrelease`, { method: 'POST' });
    expect(late.status).toBe(400);
    expect((await json<Version>(emu, `${V}/versions/current`)).body.tag).toBe('v2.0');
  });

  it('creates a next version as a copy, refuses to release it unchanged, and deletes it (OK)', async () => {
    const created = await json<Version>(emu, `${V}/versions`, { method: 'POST' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tag: 'next', canRelease: false });
    const tables = await json<{ results: unknown[] }>(emu, `/datasets/demo.versioned_dataset:next/tables`);
    expect(tables.body.results).toHaveLength(2);
    expect((await call(emu, `${V}/versions/next/release`, { method: 'POST' })).status).toBe(400);
    const del = await call(emu, `${V}/versions/next`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.text()).toBe('OK');
    expect((await call(emu, `${V}/versions/next`)).status).toBe(404);
    // Deleting next must not touch the released tables that shared its storage.
    const rows = await call(emu, '/tables/demo.versioned_dataset.measurements/rows');
    expect((await rows.text()).trim().split('\n')).toHaveLength(30);
  });

  it('flags a historic version deleted, refuses the current one, and undeletes', async () => {
    expect((await call(emu, `${V}/versions/current`, { method: 'DELETE' })).status).toBe(400);
    const del = await json<Version>(emu, `${V}/versions/v1.0`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ tag: 'v1.0', isDeleted: true });
    expect((await call(emu, '/datasets/demo.versioned_dataset:v1_0')).status).toBe(404);
    const un = await json<Version>(emu, `${V}/versions/v1.0/undelete`, { method: 'POST' });
    expect(un.body).toMatchObject({ isDeleted: false });
    expect((await call(emu, '/datasets/demo.versioned_dataset:v1_0')).status).toBe(200);
  });

  it('patches label and release notes; editing needs edit access', async () => {
    const r = await json<Version>(emu, `${V}/versions/v1.0`, {
      method: 'PATCH',
      json: { label: 'first', releaseNotes: 'n' },
    });
    expect(r.body).toMatchObject({ label: 'first', releaseNotes: 'n' });
    expect(
      (await call(emu, `${V}/versions/v1.0`, { method: 'PATCH', token: ALICE, json: { label: 'x' } })).status,
    ).toBe(403);
    expect((await call(emu, `${V}/versions`, { method: 'POST', token: null })).status).toBe(401);
  });
});
