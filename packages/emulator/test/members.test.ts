import { accessSchema, listEnvelopeSchema, memberSchema, userSchema } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ALICE, BOB, call, headError, json } from './contract-helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seedRows: 100 });
});
afterAll(async () => {
  await emu.stop();
});

type Member = { user: { name: string }; labels: string[]; status: string; isAdmin: boolean };

describe('users and organizations', () => {
  it('answers /users/me for the token’s user and 401 anonymously', async () => {
    const me = await json(emu, '/users/me', { token: ALICE });
    userSchema.parse(me.body);
    expect(me.body).toMatchObject({ kind: 'user', name: 'alice' });
    const anon = await json(emu, '/users/me', { token: null });
    expect(anon.status).toBe(401);
  });

  it('gets organizations and users by case-insensitive name', async () => {
    expect((await json(emu, '/organizations/DEMO')).body).toMatchObject({
      kind: 'organization',
      name: 'demo',
    });
    expect((await json(emu, '/users/Bob')).body).toMatchObject({ kind: 'user', name: 'bob' });
    expect((await call(emu, '/organizations/nope')).status).toBe(404);
  });

  it('lists workflows visible to the caller', async () => {
    const admin = await json<{ results: Array<{ name: string }> }>(emu, '/users/demo_admin/workflows');
    expect(admin.body.results.map((w) => w.name)).toEqual(['Weather analysis']);
    const bob = await json<{ results: unknown[] }>(emu, '/users/demo_admin/workflows', { token: BOB });
    expect(bob.body.results).toEqual([]);
    const wf = await json(emu, '/workflows/demo_admin.weather_analysis', { token: ALICE });
    expect(wf.body).toMatchObject({ accessLevel: 'view', tableCount: 1 });
    expect(
      (await call(emu, '/workflows/demo_admin.weather_analysis', { token: BOB, method: 'HEAD' })).status,
    ).toBe(404);
  });
});

describe('members', () => {
  it('lists members for admins in a memberList envelope', async () => {
    const { status, body } = await json<{ kind: string; results: Member[]; nextPageToken: string | null }>(
      emu,
      '/organizations/demo/members?maxResults=500',
    );
    expect(status).toBe(200);
    listEnvelopeSchema(memberSchema).parse(body);
    expect(body.kind).toBe('memberList');
    expect(body.results.map((m) => m.user.name)).toEqual(['alice', 'bob', 'demo_admin']);
  });

  it('filters by statuses / status and labels', async () => {
    const admins = await json<{ results: Member[] }>(emu, '/organizations/demo/members?labels=staff');
    expect(admins.body.results.map((m) => m.user.name)).toEqual(['demo_admin']);
    const pending = await json<{ results: Member[] }>(
      emu,
      '/organizations/demo/members?statuses=pending,rejected',
    );
    expect(pending.body.results).toEqual([]);
    const approved = await json<{ results: Member[] }>(emu, '/organizations/demo/members?status=approved');
    expect(approved.body.results).toHaveLength(3);
    expect((await call(emu, '/organizations/demo/members?statuses=bogus')).status).toBe(400);
  });

  it('refuses non-admins (403) and anonymous callers (401)', async () => {
    const alice = await json(emu, '/organizations/demo/members', { token: ALICE });
    expect(alice.status).toBe(403);
    expect(alice.body.error).toBe('forbidden');
    expect((await call(emu, '/organizations/demo/members', { token: null })).status).toBe(401);
  });

  it('gets (and HEADs) one member, and patches labels and status', async () => {
    const m = await json<Member>(emu, '/organizations/demo/members/ALICE');
    memberSchema.parse(m.body);
    expect(m.body).toMatchObject({ user: { name: 'alice' }, isAdmin: false });
    const head = await call(emu, '/organizations/demo/members/nobody', { method: 'HEAD' });
    expect(head.status).toBe(404);
    expect(headError(head).status).toBe(404);
    const p = await json<Member>(emu, '/organizations/demo/members/bob', {
      method: 'PATCH',
      json: { labels: ['Reviewer', 'reviewer'], status: 'rejected' },
    });
    expect(p.body).toMatchObject({ labels: ['reviewer'], status: 'rejected' });
    expect((p.body as unknown as { rejectedAt: number }).rejectedAt).toBeGreaterThan(1e12);
    const bad = await call(emu, '/organizations/demo/members/bob', {
      method: 'PATCH',
      json: { status: 'boss' },
    });
    expect(bad.status).toBe(400);
    expect((await json<Member>(emu, '/organizations/demo/members/bob')).body.status).toBe('rejected');
  });
});

describe('access', () => {
  it('gets one user’s access to a dataset', async () => {
    const { body } = await json(emu, '/datasets/demo.weather_sample/access/bob');
    accessSchema.parse(body);
    expect(body).toMatchObject({ kind: 'access', accessLevel: 'metadata', user: { name: 'bob' } });
    expect((await json(emu, '/datasets/demo.iris_species/access/bob')).body.accessLevel).toBe('data');
  });

  it('lists access per member with minAccessLevel, and per dataset for one member', async () => {
    const list = await json<{
      kind: string;
      results: Array<{ user: { name: string }; accessLevel: string }>;
    }>(emu, '/datasets/demo.restricted_survey/access?minAccessLevel=data');
    expect(list.body.kind).toBe('accessList');
    expect(list.body.results.map((a) => [a.user.name, a.accessLevel])).toEqual([
      ['alice', 'data'],
      ['demo_admin', 'edit'],
    ]);
    const member = await json<{ results: Array<{ dataset: { name: string }; accessLevel: string }> }>(
      emu,
      '/organizations/demo/members/bob/access',
    );
    expect(member.body.results.map((a) => [a.dataset.name, a.accessLevel])).toEqual([
      ['Demo files', 'data'],
      ['Iris species', 'data'],
      ['Restricted survey', 'metadata'],
      ['Versioned dataset', 'metadata'],
      ['Weather sample', 'metadata'],
    ]);
    expect((await call(emu, '/datasets/demo.restricted_survey/access?minAccessLevel=most')).status).toBe(400);
  });

  it('is for administrators with organization.read', async () => {
    expect((await call(emu, '/datasets/demo.weather_sample/access', { token: ALICE })).status).toBe(403);
    const { createApiToken } = await import('../src/auth/tokens.js');
    const { value } = await createApiToken(emu.ctx, {
      userName: 'demo_admin',
      name: 'data only',
      scopes: ['data.edit'],
    });
    const r = await json(emu, '/datasets/demo.weather_sample/access', { token: value });
    expect(r.body).toMatchObject({ error: 'insufficient_scope', scope: 'organization.read' });
  });
});
