import { NotFoundError } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset, Organization, ResourceUsageError, Table, User, Version } from '../src/index.js';
import { startTestEnv, type TestEnv } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.stop());

describe('Dataset (read)', () => {
  it('is lazy, then get() fills properties and prefers the server uri', async () => {
    const dataset = env.redivis.dataset('demo.iris_species');
    expect(dataset.properties).toBeUndefined();
    expect(dataset.uri).toBe('/datasets/demo.iris_species');
    await dataset.get();
    expect(dataset.name).toBe('Iris species');
    expect(dataset.properties?.uri).toBe(dataset.uri);
    expect(dataset.qualifiedReference).toBe(dataset.properties?.qualifiedReference);
    expect(dataset.owner).toBeInstanceOf(Organization);
  });

  it('exists() is true for a visible dataset and false for an unknown one', async () => {
    expect(await env.redivis.dataset('demo.iris_species').exists()).toBe(true);
    expect(await env.redivis.dataset('demo.no_such_dataset').exists()).toBe(false);
    await expect(env.redivis.dataset('demo.no_such_dataset').get()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('listTables() and listVersions() return objects with properties', async () => {
    const dataset = env.redivis.dataset('demo.versioned_dataset');
    const tables = await dataset.listTables();
    expect(tables.every((t) => t instanceof Table)).toBe(true);
    expect(tables.map((t) => t.name).sort()).toEqual(['measurements', 'sites']);
    expect(tables[0]?.dataset).toBe(dataset);
    const versions = await dataset.listVersions();
    expect(versions.every((v) => v instanceof Version)).toBe(true);
    expect(versions.map((v) => v.tag)).toContain('v1.0');
    expect(await dataset.listVersions({ maxResults: 1 })).toHaveLength(1);
  });

  it('version(), previousVersion() and nextVersion() follow the server links', async () => {
    const dataset = env.redivis.dataset('demo.versioned_dataset:v1_0');
    const version = await dataset.version().get();
    expect(version.tag).toBe('v1.0');
    expect(await version.previousVersion()).toBeNull();
    expect((await version.nextVersion())?.tag).toBe('next');
    expect(await version.exists()).toBe(true);
    expect(await dataset.version('v9.9').exists()).toBe(false);
    const latest = env.redivis.dataset('demo.versioned_dataset');
    const pinnedNext = latest.version('next').dataset();
    expect(pinnedNext).not.toBe(latest);
    expect(pinnedNext.versionTag).toBe('next');
    expect((await pinnedNext.get()).properties?.version?.tag).toBe('next');
    expect((await pinnedNext.listTables()).map((t) => t.name).sort()).toEqual(['measurements', 'notes']);
    const pinnedV1 = latest.version('v1.0').dataset();
    expect(pinnedV1.qualifiedReference).toMatch(/:v1_0$/);
    expect((await pinnedV1.listTables()).map((t) => t.name).sort()).not.toEqual(['measurements', 'notes']);
    const next = await dataset.nextVersion();
    expect(next).toBeInstanceOf(Dataset);
    expect(next?.versionTag).toBe('next');
    expect(await dataset.previousVersion()).toBeNull();
    const tables = await next?.listTables();
    expect(tables?.map((t) => t.name).sort()).toEqual(['measurements', 'notes']);
  });

  it('table() and query() build objects scoped to the dataset', () => {
    const dataset = env.redivis.dataset('demo.iris_species:v1_0');
    expect(dataset.table('iris').qualifiedReference).toBe('demo.iris_species:v1_0.iris');
    expect(dataset.query('SELECT 1').sql).toBe('SELECT 1');
  });
});

describe('Dataset lifecycle', () => {
  it('create → update → labels → tables → release → versions → unrelease → delete', async () => {
    const dataset = env.redivis.dataset('demo.lifecycle_test');
    expect(await dataset.exists()).toBe(false);
    await dataset.create({ publicAccessLevel: 'overview', description: 'made by a test' });
    expect(dataset.owner).toBeInstanceOf(Organization);
    expect(dataset.properties?.description).toBe('made by a test');
    expect(dataset.properties?.publicAccessLevel).toBe('overview');

    await dataset.update({ description: 'changed' });
    expect(dataset.properties?.description).toBe('changed');
    await dataset.addLabels(['Alpha', 'beta']);
    expect([...(dataset.properties?.labels ?? [])].sort()).toEqual(['alpha', 'beta']);
    await dataset.removeLabels(['ALPHA']);
    expect(dataset.properties?.labels).toEqual(['beta']);

    const next = await dataset.createNextVersion({ ifNotExists: true });
    expect(next.versionTag).toBe('next');
    await expect(dataset.createNextVersion()).rejects.toBeInstanceOf(ResourceUsageError);

    const table = next.table('readings');
    await table.create({ description: 'a table', uploadMergeStrategy: 'replace' });
    expect(table.properties?.uploadMergeStrategy).toBe('replace');
    await table.update({ description: 'renamed soon', name: 'readings_2' });
    expect(table.name).toBe('readings_2');
    expect(await table.exists()).toBe(true);

    await dataset.release({ releaseNotes: 'first' });
    expect(dataset.properties?.nextVersion).toBeNull();
    const v1 = await dataset.version().get();
    expect(v1.tag).toBe('v1.0');
    expect(v1.properties?.releaseNotes).toBe('first');
    await v1.update({ label: 'Initial', releaseNotes: 'first release' });
    expect(v1.properties?.label).toBe('Initial');

    await dataset.unrelease();
    expect(dataset.properties?.nextVersion).not.toBeNull();

    await dataset.delete();
    expect(await dataset.exists()).toBe(false);
  });

  it('Version.delete() / undelete() toggle isDeleted on a released version', async () => {
    const dataset = env.redivis.dataset('demo.version_delete_test');
    await dataset.create();
    await dataset.createNextVersion({ ifNotExists: true });
    await dataset.table('t').create();
    await dataset.release();
    await (await dataset.createNextVersion()).table('u').create();
    await dataset.release();
    const first = dataset.version('v1.0');
    await first.delete();
    expect((await first.get()).properties?.isDeleted).toBe(true);
    await first.undelete();
    expect((await first.get()).properties?.isDeleted).toBe(false);
    await dataset.delete();
  });

  it('create() resolves a user owner when no organization has that name', async () => {
    const dataset = env.redivis.dataset('demo_admin.user_owned_test');
    await dataset.create();
    expect(dataset.owner).toBeInstanceOf(User);
    expect(dataset.properties?.owner.kind).toBe('user');
    await dataset.delete();
  });

  it('updateVariables() patches variables across the dataset', async () => {
    const dataset = env.redivis.dataset('demo.versioned_dataset:next');
    await dataset.updateVariables([{ table: 'notes', name: 'note', label: 'The note' }]);
    const variable = await dataset.table('notes').variable('note').get();
    expect(variable.properties?.label).toBe('The note');
  });
});
