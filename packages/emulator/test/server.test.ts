import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 1000, token: 'fixed-admin-token' });
});
afterAll(async () => {
  await emu.stop();
});

describe('server skeleton', () => {
  it('listens on 127.0.0.1 with an /api/v1 url and lists known tokens', () => {
    expect(emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(emu.tokens.map((t) => t.userName).sort()).toEqual(['alice', 'bob', 'demo_admin', 'demo_admin']);
  });

  it('answers unknown endpoints with the error envelope and rate-limit headers', async () => {
    const res = await fetch(`${emu.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    const body = await res.json();
    expect(body).toMatchObject({ error: 'not_found', status: 404 });
    expect(typeof body.error_description).toBe('string');
  });

  it('puts HEAD errors in X-Redivis-Error-Payload', async () => {
    const res = await fetch(`${emu.url}/nope`, { method: 'HEAD' });
    expect(res.status).toBe(404);
    const payload = JSON.parse(decodeURIComponent(res.headers.get('x-redivis-error-payload') ?? ''));
    expect(payload).toMatchObject({ error: 'not_found', status: 404 });
  });

  it('rejects unknown tokens with 401 and answers CORS preflights', async () => {
    const res = await fetch(`${emu.url}/nope`, { headers: { Authorization: 'Bearer wrong-token-value' } });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_token');
    const pre = await fetch(`${emu.url}/users/me`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://example.com',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });
});
