import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ALICE, BOB, call } from './contract-helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seedRows: 10, rateLimit: { limit: 3, windowMs: 60_000 } });
});
afterAll(async () => {
  await emu.stop();
});

it('answers 429 with Retry-After (delta seconds) after the per-token limit, counting each token apart', async () => {
  const remaining: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await call(emu, '/users/me', { token: ALICE });
    expect(r.status).toBe(200);
    remaining.push(r.headers.get('x-ratelimit-remaining') ?? '');
  }
  expect(remaining).toEqual(['2', '1', '0']);
  const limited = await call(emu, '/users/me', { token: ALICE });
  expect(limited.status).toBe(429);
  expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
  expect(await limited.json()).toMatchObject({ error: 'rate_limit_exceeded', status: 429 });
  expect((await call(emu, '/users/me', { token: BOB })).status).toBe(200);
});

it('does not count CORS preflights', async () => {
  const pre = await fetch(`${emu.url}/users/me`, {
    method: 'OPTIONS',
    headers: {
      Origin: 'http://x.test',
      'Access-Control-Request-Method': 'GET',
      'Access-Control-Request-Headers': 'authorization',
    },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-expose-headers')).toContain('X-RateLimit-Remaining');
});
