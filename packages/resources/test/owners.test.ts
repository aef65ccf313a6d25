import { isRedivisError, NotFoundError } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dataset, Member, Organization, User, Workflow } from '../src/index.js';
import { startTestEnv, type TestEnv } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.stop());

describe('root', () => {
  it('currentUser() reads /users/me and keeps the properties', async () => {
    const me = await env.redivis.currentUser();
    expect(me).toBeInstanceOf(User);
    expect(me.name).toBe('demo_admin');
    expect(me.properties?.name).toBe('demo_admin');
    expect(me.uri).toBe('/users/demo_admin');
  });

  it('request() is one raw call through the pipeline, as JSON, text or a Response', async () => {
    const me = await env.redivis.request<{ name: string }>({ path: '/users/me' });
    expect(me.name).toBe('demo_admin');
    const text = await env.redivis.request({ path: '/users/me', as: 'text' });
    expect(JSON.parse(text).name).toBe('demo_admin');
    const response = await env.redivis.request({ path: '/users/me', as: 'response' });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    await expect(env.redivis.request({ path: '/datasets/demo.does_not_exist' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('Organization', () => {
  it('exists() probes the dataset list: true for demo, false for an unknown name', async () => {
    expect(await env.redivis.organization('demo').exists()).toBe(true);
    expect(await env.redivis.organization('no_such_org_xyz').exists()).toBe(false);
  });

  it('listDatasets() returns Dataset objects with properties, honouring maxResults and labels', async () => {
    const org = env.redivis.organization('demo');
    const all = await org.listDatasets();
    expect(all.every((d) => d instanceof Dataset)).toBe(true);
    const names = all.map((d) => d.name);
    expect(names).toContain('Iris species');
    expect(all.find((d) => d.name === 'Iris species')?.uri).toMatch(/^\/datasets\/demo\.iris_species/);
    expect(await org.listDatasets({ maxResults: 1 })).toHaveLength(1);
    const teaching = await org.listDatasets({ labels: ['teaching'] });
    expect(teaching.map((d) => d.name)).toEqual(['Iris species']);
    expect(teaching[0]?.owner).toBeInstanceOf(Organization);
  });

  it('listMembers() names members after their user, filtered by status', async () => {
    const members = await env.redivis.organization('demo').listMembers();
    expect(members.every((m) => m instanceof Member)).toBe(true);
    expect(members.map((m) => m.name).sort()).toEqual(['alice', 'bob', 'demo_admin']);
    expect(members[0]?.user.properties?.name).toBe(members[0]?.name);
    const approved = await env.redivis.organization('demo').listMembers({ statuses: ['approved'] });
    expect(approved.length).toBeGreaterThan(0);
    expect(approved.every((m) => m.properties?.status === 'approved')).toBe(true);
    expect(await env.redivis.organization('demo').listMembers({ statuses: ['rejected'] })).toEqual([]);
  });

  it('listWorkflows() lists the organization workflows (none in the seed)', async () => {
    expect(await env.redivis.organization('demo').listWorkflows()).toEqual([]);
  });

  it('dataset(), workflow(), member() and secret() build objects without requests', () => {
    const org = env.redivis.organization('demo');
    expect(org.dataset('Iris species', { version: 'v1.0' }).uri).toBe('/datasets/demo.Iris%20species%3Av1_0');
    expect(org.workflow('wf').uri).toBe('/workflows/demo.wf');
    expect(org.member('alice').uri).toBe('/organizations/demo/members/alice');
    expect(org.secret('key').uri).toBe('/organizations/demo/secrets/key');
  });
});

describe('User', () => {
  it('listWorkflows() / listProjects() return the user workflows', async () => {
    const user = env.redivis.user('demo_admin');
    const workflows = await user.listWorkflows();
    expect(workflows.map((w) => w.name)).toEqual(['Weather analysis']);
    expect(workflows[0]).toBeInstanceOf(Workflow);
    expect((await user.listProjects()).map((w) => w.name)).toEqual(['Weather analysis']);
    expect(user.project('x').uri).toBe(user.workflow('x').uri);
  });

  it('listDatasets() lists datasets the user owns', async () => {
    const user = env.redivis.user('demo_admin');
    const before = await user.listDatasets();
    const created = await user.dataset('owners_test_dataset').create();
    expect(created.owner).toBeInstanceOf(User);
    const after = await user.listDatasets();
    expect(after.length).toBe(before.length + 1);
    expect(after.map((d) => d.name)).toContain('owners_test_dataset');
    await created.delete();
  });
});

describe('default owner from the environment', () => {
  it('a bare dataset or workflow name takes REDIVIS_DEFAULT_USER, then _ORGANIZATION, and knows its kind', () => {
    const both = env.as('rdv_demo_admin_token', {
      env: { REDIVIS_DEFAULT_USER: 'alice', REDIVIS_DEFAULT_ORGANIZATION: 'demo' },
    });
    expect(both.dataset('d1').qualifiedReference).toBe('alice.d1');
    expect(both.dataset('d1').owner).toBeInstanceOf(User);
    expect(both.workflow('w1').qualifiedReference).toBe('alice.w1');
    expect(both.workflow('w1').owner).toBeInstanceOf(User);
    // A qualified reference naming the other default still gets its kind; any other owner stays unknown.
    expect(both.dataset('demo.d1').owner).toBeInstanceOf(Organization);
    expect(both.workflow('demo.w1').owner).toBeInstanceOf(Organization);
    expect(both.dataset('carol.d1').owner).toBeUndefined();
    expect(both.workflow('carol.w1').owner).toBeUndefined();

    const org = env.as('rdv_demo_admin_token', { env: { REDIVIS_DEFAULT_ORGANIZATION: 'demo' } });
    expect(org.dataset('d1', { version: 'v1.0' }).uri).toBe('/datasets/demo.d1%3Av1_0');
    expect(org.dataset('d1').owner?.kind).toBe('organization');
    expect(org.workflow('w1').owner?.kind).toBe('organization');
  });
});

describe('Member', () => {
  it('get() / exists() read the membership; unknown users do not exist', async () => {
    const alice = await env.redivis.organization('demo').member('alice').get();
    expect(alice.properties?.user.name).toBe('alice');
    expect(alice.user.properties?.name).toBe('alice');
    expect(await alice.exists()).toBe(true);
    expect(await env.redivis.organization('demo').member('nobody_here').exists()).toBe(false);
  });

  it('addLabels() / removeLabels() lower-case and merge; update() replaces them', async () => {
    const bob = env.redivis.organization('demo').member('bob');
    const before = (await bob.get()).properties?.labels ?? [];
    await bob.addLabels(['Cohort-A', 'reviewed']);
    const added = (await bob.get()).properties?.labels ?? [];
    expect(new Set(added)).toEqual(new Set([...before.map((l) => l.toLowerCase()), 'cohort-a', 'reviewed']));
    await bob.removeLabels(['COHORT-A']);
    const removed = (await bob.get()).properties?.labels ?? [];
    expect(removed).not.toContain('cohort-a');
    expect(removed).toContain('reviewed');
    const updated = await bob.update({ labels: before });
    expect(updated.properties?.labels).toEqual(before);
  });

  it('addComment() posts a comment and returns the member', async () => {
    const bob = env.redivis.organization('demo').member('bob');
    expect(await bob.addComment('Checked the application.')).toBe(bob);
    const error = await env.redivis
      .organization('demo')
      .member('nobody_here')
      .addComment('x')
      .catch((e) => e);
    expect(isRedivisError(error) && error.status).toBe(404);
  });
});
