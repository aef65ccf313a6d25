import { request } from 'node:http';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowBody, bodyLimit } from '../src/http/body-limit.js';
import type { AppEnv } from '../src/http/env.js';
import { writeError } from '../src/http/errors.js';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ADMIN, json } from './contract-helpers.js';

const LIMIT = 1_000_000;
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'none', token: ADMIN, bodyLimits: { json: LIMIT } });
});
afterAll(async () => {
  await emu.stop();
});

interface Sent {
  status: number;
  body: Record<string, unknown>;
  /** Bytes the client had handed to the socket when the response arrived. */
  written: number;
}

/**
 * POSTs a body of `total` bytes (`declare`: with Content-Length; else chunked) through node:http, writing 64 KiB at
 * a time while no response has arrived, and resolves with the response and how much had been written by then.
 */
function post(path: string, total: number, declare: boolean): Promise<Sent> {
  const url = new URL(`${emu.url}${path}`);
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${ADMIN}`,
      'Content-Type': 'application/json',
    };
    if (declare) headers['Content-Length'] = String(total);
    const req = request(url, { method: 'POST', headers }, (res) => {
      answered = true;
      const at = written;
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString()),
          written: at,
        });
      });
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = (): void => {
      while (!answered && written < total) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && written >= total) req.end();
    };
    pump();
  });
}

describe('request body limits', () => {
  it('answers a declared 600 MB JSON body with 413 in the error envelope before reading it', async () => {
    const r = await post('/users/demo_admin/datasets', 600_000_000, true);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error: 'payload_too_large', status: 413, maxBytes: LIMIT });
    // The answer came long before the body could have been sent, let alone read.
    expect(r.written).toBeLessThan(100_000_000);
  });

  it('counts a chunked body without Content-Length and answers 413 once it passes the limit', async () => {
    const r = await post('/users/demo_admin/datasets', 600_000_000, false);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error: 'payload_too_large', status: 413 });
    expect(r.written).toBeGreaterThan(LIMIT);
    expect(r.written).toBeLessThan(100_000_000);
  });

  it('still reads bodies under the limit (here refused for their content, not their size)', async () => {
    const r = await json(emu, '/users/demo_admin/datasets', {
      method: 'POST',
      json: { name: 'big', description: 'x'.repeat(LIMIT - 100) },
    });
    expect(r.status).toBe(400);
    expect(r.body.error_description).toMatch(/description/);
  });

  it('limits form bodies of the OAuth endpoints too', async () => {
    const res = await fetch(`${emu.origin}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${'a'.repeat(LIMIT + 10)}`,
    });
    expect(res.status).toBe(413);
  });

  it('lets a route opt into a larger limit with allowBody, still counting chunked bodies', async () => {
    const app = new Hono<AppEnv>();
    app.use('*', bodyLimit(10));
    app.post('/small', async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)));
    app.post('/upload', allowBody(1000), async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)));
    app.onError((e, c) => writeError(c, e));
    const chunked = (n: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < n; i += 100) controller.enqueue(new Uint8Array(100));
          controller.close();
        },
      });
    const send = (path: string, body: BodyInit, headers?: Record<string, string>) =>
      app.request(path, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
    expect((await send('/small', chunked(500))).status).toBe(413);
    const ok = await send('/upload', chunked(500));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('500');
    expect((await send('/upload', chunked(1100))).status).toBe(413);
    const declared = await send('/upload', new Uint8Array(10), { 'Content-Length': '5000' });
    expect(declared.status).toBe(413);
  });
});

describe('request body encoding', () => {
  it('refuses JSON bodies that are not valid UTF-8 with 400 instead of storing U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const res = await fetch(`${emu.url}/users/demo_admin/datasets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: bytes,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', error_description: /UTF-8/ });
  });
});
