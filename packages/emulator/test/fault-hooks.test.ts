import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../src/faults/injector.js';
import { faultMiddleware } from '../src/faults/middleware.js';
import { FAULT_HEADER, resolveFaultOptions } from '../src/faults/options.js';
import { faultedRequestBody, uploadProcessingFault } from '../src/faults/hooks.js';
import type { AppEnv } from '../src/http/env.js';
import { writeError } from '../src/http/errors.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The hook points the upload routes call, exercised over real HTTP through the same middleware the emulator uses.
let stored: number[] = [];
let failures: Array<string | undefined> = [];
let origin: string;
let close: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-fault-hooks-'));
  const app = new Hono<AppEnv>();
  app.use('*', faultMiddleware(new FaultInjector(resolveFaultOptions({ enabled: true }), dir)));
  app.put('/chunk', async (c) => {
    const body = faultedRequestBody(c);
    stored.push(body ? (await new Response(body).arrayBuffer()).byteLength : 0);
    return c.body(null, 308);
  });
  app.post('/uploads', (c) => {
    failures.push(uploadProcessingFault(c));
    return c.json({ ok: true });
  });
  app.onError((e, c) => writeError(c, e));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((r) => server.close(() => r()));
});
afterAll(async () => {
  await close();
  await rm(dir, { recursive: true, force: true });
});

describe('upload fault hooks', () => {
  it('cutUploadChunkAfterBytes stores the first N bytes and drops the connection without an answer', async () => {
    stored = [];
    const body = new Uint8Array(200_000).fill(7);
    const cut = fetch(`${origin}/chunk`, {
      method: 'PUT',
      body,
      headers: { [FAULT_HEADER]: JSON.stringify({ cutUploadChunkAfterBytes: 1000 }) },
    });
    await expect(cut).rejects.toThrow();
    const whole = await fetch(`${origin}/chunk`, { method: 'PUT', body });
    expect(whole.status).toBe(308);
    expect(stored).toEqual([1000, 200_000]);
  });

  it('failUploadProcessing hands its message to the upload route (default text for true)', async () => {
    failures = [];
    const post = (fault?: unknown) =>
      fetch(`${origin}/uploads`, {
        method: 'POST',
        headers: fault === undefined ? {} : { [FAULT_HEADER]: JSON.stringify(fault) },
      });
    expect((await post({ failUploadProcessing: 'Bad row 3' })).status).toBe(200);
    expect((await post({ failUploadProcessing: true })).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect(failures).toEqual(['Bad row 3', 'Upload processing failed (injected fault)', undefined]);
  });
});
