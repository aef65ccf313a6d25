import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, listApiTokens, revokeApiToken, updateApiToken } from '../src/auth/tokens.js';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { call, json } from './contract-helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({
    seedRows: 100,
    token: 'my-fixed-admin-token',
    rateLimit: { limit: 1000, windowMs: 60_000 },
  });
});
afterAll(async () => {
  await emu.stop();
});

describe('API tokens', () => {
  it('registers --token for demo_admin with every scope', async () => {
    const fixed = emu.tokens.find((t) => t.value === 'my-fixed-admin-token');
    expect(fixed).toMatchObject({ userName: 'demo_admin' });
    expect(fixed?.scopes).toContain('organization.write');
    expect((await json(emu, '/organizations/demo/members', { token: 'my-fixed-admin-token' })).status).toBe(
      200,
    );
  });

  it('creates a named token whose value is shown once and stored only as a hash', async () => {
    const { token, value } = await createApiToken(emu.ctx, {
      userName: 'alice',
      name: 'laptop',
      scopes: ['data.data'],
    });
    expect(token.scopes).toEqual(['public', 'data.data']);
    expect(value).toMatch(/^rdv_/);
    const stored = await emu.ctx.db.all<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = ?', [
      token.id,
    ]);
    expect(JSON.stringify(stored)).not.toContain(value);
    expect(JSON.stringify(await listApiTokens(emu.ctx, { userName: 'alice' }))).not.toContain(value);
    expect((await json(emu, '/users/me', { token: value })).body.name).toBe('alice');
  });

  it('changes name and scopes later, effective on the next request', async () => {
    const { token, value } = await createApiToken(emu.ctx, {
      userName: 'alice',
      name: 'ci',
      scopes: ['data.overview'],
    });
    const path = '/tables/demo.weather_sample.stations/rows?maxResults=1';
    expect((await json(emu, path, { token: value })).body.error).toBe('insufficient_scope');
    const updated = await updateApiToken(emu.ctx, token.id, { name: 'ci runner', scopes: ['data.data'] });
    expect(updated).toMatchObject({ name: 'ci runner', scopes: ['public', 'data.data'] });
    expect((await call(emu, path, { token: value })).status).toBe(200);
  });

  it('revokes a token: 401 at once', async () => {
    const { token, value } = await createApiToken(emu.ctx, { userName: 'bob', name: 'temp', scopes: [] });
    expect((await call(emu, '/users/me', { token: value })).status).toBe(200);
    await revokeApiToken(emu.ctx, token.id);
    const r = await json(emu, '/users/me', { token: value });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_token');
    expect(JSON.stringify(r.body)).not.toContain(value);
    await expect(updateApiToken(emu.ctx, token.id, { name: 'x' })).rejects.toMatchObject({ status: 400 });
    expect((await listApiTokens(emu.ctx, { userName: 'bob' })).map((t) => t.name)).not.toContain('temp');
    expect(
      (await listApiTokens(emu.ctx, { userName: 'bob', includeRevoked: true })).map((t) => t.name),
    ).toContain('temp');
  });

  it('rejects unknown scopes, empty names and unknown users with typed 400/404 errors', async () => {
    await expect(
      createApiToken(emu.ctx, { userName: 'bob', name: 'x', scopes: ['root'] }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(createApiToken(emu.ctx, { userName: 'bob', name: ' ', scopes: [] })).rejects.toMatchObject({
      status: 400,
    });
    await expect(createApiToken(emu.ctx, { userName: 'zed', name: 'x', scopes: [] })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('401s malformed Authorization headers and JWT-shaped tokens it did not sign', async () => {
    const basic = await fetch(`${emu.url}/users/me`, { headers: { Authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
    expect((await call(emu, '/users/me', { token: 'aaa.bbb.ccc' })).status).toBe(401);
  });
});

describe('rate limit headers', () => {
  it('sends X-RateLimit-Limit and X-RateLimit-Remaining on successes and errors', async () => {
    const a = await call(emu, '/organizations/demo');
    const b = await call(emu, '/datasets/demo.nothing');
    expect(a.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(b.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(
      Number(a.headers.get('x-ratelimit-remaining')) - Number(b.headers.get('x-ratelimit-remaining')),
    ).toBe(1);
    expect(a.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');
  });
});
