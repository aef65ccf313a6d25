import { createTransport, path } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import type { RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toArrowBatchIterator } from '../src/index.js';

// The emulator's own fault injection (no proxy): it drops read streams mid-body and answers 503s, and the reader
// must resume from the rows it already has, losing and repeating nothing.
const ROWS = 60_000;
const OBS = path`/tables/${'demo.weather_sample:v1_0.daily_observations'}`;
const TOKEN = 'rdv_demo_alice_token';
let emu: RunningEmulator;
let baseline: string[];

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: ROWS, rateLimit: false, faults: { enabled: true } });
  baseline = await readAll(emu.url);
});
afterAll(() => emu?.stop());

function rowKeys(batch: RecordBatch): string[] {
  const columns = batch.schema.fields.map((f) => batch.getChild(f.name)!);
  return Array.from({ length: batch.numRows }, (_, i) => columns.map((c) => String(c.get(i))).join('|'));
}

/**
 * The global fetch, except that a GET failing before any response (the server closing a kept-alive socket just as it
 * is reused, which a loaded machine makes likely) is sent once more. The transport's own retries stay off, so that
 * every injected fault, all of which come with or inside a response, reaches the reader.
 */
const freshSocketFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (e) {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (method.toUpperCase() !== 'GET' || init?.signal?.aborted) throw e;
    return fetch(input instanceof Request ? input.clone() : input, init);
  }
};

async function readAll(url: string) {
  const client = createTransport({
    baseUrl: url,
    apiToken: TOKEN,
    retry: { limit: 0 },
    fetch: freshSocketFetch,
  });
  const keys: string[] = [];
  for await (const batch of toArrowBatchIterator(client, OBS, {
    maxParallelization: 2,
    reconnect: { limit: 10, initialDelayMs: 1, backoffLimitMs: 5 },
  })) {
    keys.push(...rowKeys(batch));
  }
  return keys;
}

describe('reading through injected faults', () => {
  it.each([
    1_000, 400_000, 1_300_000,
  ])('read streams dropped after %i bytes resume: every row exactly once', async (dropAfterBytes) => {
    expect(baseline).toHaveLength(ROWS);
    const before = emu.ctx.faults.applied.length;
    // What a test would send as the X-Redivis-Emulator-Fault header, armed directly: the client sends no headers.
    emu.ctx.faults.arm([{ route: 'GET /readStreams/*', dropAfterBytes, times: 3 }], 'GET', '/');
    const keys = await readAll(emu.url);
    expect(emu.ctx.faults.applied.length - before).toBe(3);
    expect(keys).toHaveLength(ROWS);
    expect([...keys].sort()).toEqual([...baseline].sort());
  });

  it('503s with Retry-After on stream reads are retried', async () => {
    const before = emu.ctx.faults.applied.length;
    emu.ctx.faults.arm(
      [{ route: 'GET /readStreams/*', status: 503, retryAfterSec: 0, times: 2 }],
      'GET',
      '/',
    );
    const keys = await readAll(emu.url);
    expect(emu.ctx.faults.applied.length - before).toBe(2);
    expect([...keys].sort()).toEqual([...baseline].sort());
  });
});
