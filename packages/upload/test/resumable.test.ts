import { createHash } from 'node:crypto';
import { createTransport } from '@redivis-ts/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryResumeStore, type ResumeStore, sendToTempUpload, type UploadSource } from '../src/index.js';
import { GcsServer } from './gcs-server.js';

let server: GcsServer;
beforeAll(async () => {
  server = await new GcsServer().start();
});
afterAll(() => server?.stop());
beforeEach(() => {
  server.chunks.length = 0;
  server.cuts.length = 0;
});

const KIB = 1024;
const client = () =>
  createTransport({
    baseUrl: server.url,
    apiToken: 't',
    retry: { limit: 3, initialDelayMs: 1, backoffLimitMs: 5 },
  });
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

function content(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function source(bytes: Uint8Array, identity: string): UploadSource {
  return { size: bytes.length, identity, read: async (s, e) => bytes.slice(s, Math.min(e, bytes.length)) };
}

function send(bytes: UploadSource, store: ResumeStore, options: { signal?: AbortSignal; key?: string } = {}) {
  return sendToTempUpload(client(), bytes, bytes.size as number, {
    parentUri: '/tables/x',
    name: 'f',
    resumable: true,
    store,
    key: options.key,
    chunkSize: 256 * KIB,
    maxChunkRetries: 10,
    retry: { initialDelayMs: 1, backoffLimitMs: 5 },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

describe('resumable temp upload', () => {
  it('survives cuts at random points, never re-sends a committed byte, and ends with the exact bytes', async () => {
    const bytes = content(1300 * KIB, 7);
    for (let i = 0; i < 5; i++) server.cuts.push(1 + Math.floor(Math.random() * 200 * KIB));
    const id = await send(source(bytes, 'a'), memoryResumeStore());
    const file = server.files.get(id);
    expect(md5(file?.data ?? new Uint8Array())).toBe(md5(bytes));
    // Every chunk started exactly at what the server had committed: no committed byte went twice.
    for (const c of server.chunks) expect(c.start).toBe(c.committedBefore);
    expect(server.chunks.reduce((a, c) => a + c.received, 0)).toBe(bytes.length);
    expect(server.chunks.length).toBeGreaterThan(6);
  });

  it('resumes a session remembered in the store (an interrupted run) at the committed offset', async () => {
    const bytes = content(1100 * KIB, 3);
    const store = memoryResumeStore();
    const controller = new AbortController();
    // The first run stops after its second chunk, as a killed process would.
    let reads = 0;
    const stopping: UploadSource = {
      ...source(bytes, 'b'),
      read: async (s, e) => {
        if (++reads === 3) controller.abort(new Error('killed'));
        return bytes.slice(s, e);
      },
    };
    await expect(send(stopping, store, { signal: controller.signal, key: 'k' })).rejects.toThrow();
    const committed = server.chunks.reduce((a, c) => a + c.received, 0);
    expect(committed).toBeGreaterThan(0);
    expect(await store.get('k')).toBeDefined();
    server.chunks.length = 0;
    const id = await send(source(bytes, 'b'), store, { key: 'k' });
    expect(server.chunks[0]?.start).toBe(committed);
    for (const c of server.chunks) expect(c.start).toBe(c.committedBefore);
    expect(md5(server.files.get(id)?.data ?? new Uint8Array())).toBe(md5(bytes));
    expect(await store.get('k')).toBeUndefined();
  });
});
