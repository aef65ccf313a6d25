import { createHash } from 'node:crypto';
import { createTransport, type RedivisTransport } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createUpload,
  memoryResumeStore,
  ResumableUploadError,
  type ResumeStore,
  sendToTempUpload,
  type UploadSource,
} from '../src/index.js';
import { content, freshTable, random, storedTempUpload } from './emulator-table.js';
import { chunkOffsets, chunkPuts, WireProxy } from './wire-proxy.js';

const KIB = 1024;
const CHUNK = 256 * KIB;
let emu: RunningEmulator;
let proxy: WireProxy;
let client: RedivisTransport;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10, rateLimit: false, faults: { enabled: true } });
  proxy = await new WireProxy(emu.origin).start();
  client = createTransport({
    baseUrl: proxy.url,
    apiToken: 'rdv_demo_admin_token',
    retry: { limit: 3, initialDelayMs: 1, backoffLimitMs: 5 },
  });
});
afterAll(async () => {
  await proxy?.stop();
  await emu?.stop();
});
beforeEach(() => {
  proxy.requests.length = 0;
  proxy.plan = undefined;
});

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

function source(bytes: Uint8Array, identity: string): UploadSource {
  return { size: bytes.length, identity, read: async (s, e) => bytes.slice(s, Math.min(e, bytes.length)) };
}

/** The same bytes with `stream()`, in 64 KiB pieces, as `fileSource()` in Node streams a chunk while it is sent. */
function streamedSource(bytes: Uint8Array, identity: string): UploadSource {
  return {
    ...source(bytes, identity),
    stream(start, end) {
      let at = start;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          const to = Math.min(end, bytes.length, at + 64 * KIB);
          if (to > at) controller.enqueue(bytes.slice(at, to));
          at = to;
          if (at >= Math.min(end, bytes.length)) controller.close();
        },
      });
    },
  };
}

function send(
  tableUri: string,
  bytes: UploadSource,
  store: ResumeStore,
  options: { signal?: AbortSignal; key?: string; maxChunkRetries?: number } = {},
) {
  return sendToTempUpload(client, bytes, bytes.size as number, {
    parentUri: tableUri,
    name: 'f',
    resumable: true,
    store,
    key: options.key,
    chunkSize: CHUNK,
    maxChunkRetries: options.maxChunkRetries ?? 10,
    retry: { initialDelayMs: 1, backoffLimitMs: 5 },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Cuts `count` randomly chosen chunk PUTs at a random byte inside them (the emulator stores what arrived). */
function cutRandomChunks(seed: number, chunks: number, count: number): number[] {
  const next = random(seed);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(Math.floor(next() * chunks));
  let chunkIndex = 0;
  proxy.plan = (req) => {
    if (req.method !== 'PUT' || !/^bytes \d+-/.test(req.headers['content-range'] ?? '')) return undefined;
    if (!chosen.has(chunkIndex++)) return undefined;
    return { cutUploadChunkAfterBytes: Math.floor(next() * CHUNK) };
  };
  return [...chosen];
}

describe('resumable temp upload against the emulator', () => {
  it.each([
    ['read whole', source],
    ['streamed', streamedSource],
  ])('survives cuts at random points, never re-sends a committed byte, and ends with the exact bytes (chunks %s)', async (_, make) => {
    const tableUri = await freshTable(client);
    // The suite's fast-check seed (scripts/test/fast-check-seed.ts) fixes the cuts in CI; FC_SEED=random explores.
    const seed = (fc.readConfigureGlobal().seed ?? Date.now()) % 100_000;
    const bytes = content(4 * 1024 * KIB + 4321, seed);
    cutRandomChunks(seed, 12, 6);
    const id = await send(tableUri, make(bytes, 'a'), memoryResumeStore());
    expect(md5(await storedTempUpload(emu, id)), `seed ${seed}`).toBe(md5(bytes));
    const cuts = proxy.requests.filter((r) => r.fault?.cutUploadChunkAfterBytes !== undefined);
    expect(cuts).toHaveLength(6);
    for (const c of cuts) expect(c.status).toBeUndefined();
    const chunks = chunkOffsets(proxy.requests, bytes.length);
    let stored = 0;
    for (const c of chunks) {
      // Every chunk started exactly where the server's last answer said it had committed: no byte went twice.
      expect(c.start, `seed ${seed}`).toBe(c.committedBefore);
      // The server kept exactly the bytes that arrived before a cut, and all of an uncut chunk.
      const cut = c.request.fault?.cutUploadChunkAfterBytes;
      expect(c.committedAfter - c.start, `seed ${seed}`).toBe(cut ?? c.length);
      if (cut === undefined) expect(c.request.bytesSent).toBe(c.length);
      stored += c.committedAfter - c.start;
    }
    // Counted over the wire, the bytes the server stored add up to the file exactly once.
    expect(stored).toBe(bytes.length);
  });

  it('createUpload: a CSV cut mid-chunk through the resumable path is imported row for row', async () => {
    const tableUri = await freshTable(client);
    const lines = ['id,label'];
    for (let i = 0; i < 120_000; i++) lines.push(`${i},row ${i}`);
    const csv = new TextEncoder().encode(`${lines.join('\n')}\n`);
    cutRandomChunks(11, Math.ceil(csv.length / CHUNK), 3);
    const progress: number[] = [];
    const upload = await createUpload(client, { tableUri, name: 'big.csv' }, csv, {
      chunkSize: CHUNK,
      retry: { initialDelayMs: 1, backoffLimitMs: 5 },
      onProgress: (p) => {
        if (p.phase === 'uploading') progress.push(p.bytesUploaded);
      },
    });
    expect(upload.status).toBe('completed');
    expect(upload.numRows).toBe(120_000);
    for (const o of chunkOffsets(proxy.requests, csv.length)) expect(o.start).toBe(o.committedBefore);
    expect(progress.at(-1)).toBe(csv.length);
    // Row for row: the upload's rows, read back as NDJSON arrays, are the CSV's.
    const response = await client.requestStream({
      path: `${upload.uri}/rows`,
      query: { maxResults: 200_000, format: 'ndjson' },
    });
    const back = (await response.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown[]);
    expect(back).toHaveLength(120_000);
    const ids = new Set(back.map((r) => Number(r[0])));
    expect(ids.size).toBe(120_000);
    expect(back.find((r) => Number(r[0]) === 76_543)?.[1]).toBe('row 76543');
  });

  it('resumes a session remembered in the store (an interrupted run) at the committed offset', async () => {
    const tableUri = await freshTable(client);
    const bytes = content(1100 * KIB, 3);
    const store = memoryResumeStore();
    const controller = new AbortController();
    // The first run stops while reading its third chunk, as a killed process would.
    let reads = 0;
    const stopping: UploadSource = {
      ...source(bytes, 'b'),
      read: async (s, e) => {
        if (++reads === 3) controller.abort(new Error('killed'));
        return bytes.slice(s, e);
      },
    };
    await expect(send(tableUri, stopping, store, { signal: controller.signal, key: 'k' })).rejects.toThrow();
    const record = await store.get('k');
    expect(record).toBeDefined();
    const committed = (await storedTempUpload(emu, record?.tempUploadId as string)).length;
    expect(committed).toBe(2 * CHUNK);
    proxy.requests.length = 0;
    const id = await send(tableUri, source(bytes, 'b'), store, { key: 'k' });
    expect(id).toBe(record?.tempUploadId);
    // No new session: the status query, then chunks from the committed offset on.
    expect(proxy.requests.some((r) => r.method === 'POST')).toBe(false);
    expect(chunkPuts(proxy.requests)[0]?.contentRange).toMatch(new RegExp(`^bytes ${committed}-`));
    expect(proxy.requests.reduce((a, r) => a + r.bytesSent, 0)).toBe(bytes.length - committed);
    expect(md5(await storedTempUpload(emu, id))).toBe(md5(bytes));
    expect(await store.get('k')).toBeUndefined();
  });

  it('a session the server no longer knows (404) starts over in a new slot', async () => {
    const tableUri = await freshTable(client);
    const bytes = content(600 * KIB, 5);
    const store = memoryResumeStore();
    await store.set('gone', {
      tempUploadId: 'nosuchslot',
      sessionUrl: `${proxy.origin}/tempUploads/nosuchslot?upload_id=x`,
      size: bytes.length,
      createdAt: Date.now(),
    });
    const id = await send(tableUri, source(bytes, 'c'), store, { key: 'gone' });
    expect(id).not.toBe('nosuchslot');
    expect(md5(await storedTempUpload(emu, id))).toBe(md5(bytes));
  });

  it('gives up with ResumableUploadError after maxChunkRetries failed chunks in a row, reporting the committed bytes', async () => {
    const tableUri = await freshTable(client);
    const bytes = content(700 * KIB, 9);
    let chunk = 0;
    // Every chunk after the first is answered 503: no progress, so the upload stops after the retries.
    proxy.plan = (req) =>
      req.method === 'PUT' && /^bytes \d+-/.test(req.headers['content-range'] ?? '') && chunk++ > 0
        ? { status: 503 }
        : undefined;
    const error = await send(tableUri, source(bytes, 'd'), memoryResumeStore(), { maxChunkRetries: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResumableUploadError);
    expect((error as ResumableUploadError).committedBytes).toBe(CHUNK);
    expect(chunkPuts(proxy.requests)).toHaveLength(4);
  });
});
