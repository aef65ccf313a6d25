import fc from 'fast-check';
import { createTransport, path } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import type { RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toArrowBatchIterator } from '../src/index.js';
import { startCuttingProxy } from './helpers/cutting-proxy.js';

const ROWS = 60_000;
const OBS = path`/tables/${'demo.weather_sample:v1_0.daily_observations'}`;
const TOKEN = 'rdv_demo_alice_token';
const PATIENT = { timeout: 15_000, interval: 20 };
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: ROWS, rateLimit: false });
});
afterAll(() => emu?.stop());

/** Row identity for the exactly-once check: every column of the row, as decoded. */
function rowKeys(batch: RecordBatch): string[] {
  const columns = batch.schema.fields.map((f) => batch.getChild(f.name)!);
  return Array.from({ length: batch.numRows }, (_, i) => columns.map((c) => String(c.get(i))).join('|'));
}

async function readAll(url: string, maxParallelization: number) {
  const client = createTransport({ baseUrl: url, apiToken: TOKEN, retry: { limit: 0 } });
  const keys: string[] = [];
  for await (const batch of toArrowBatchIterator(client, OBS, {
    maxParallelization,
    reconnect: { limit: 10, initialDelayMs: 1, backoffLimitMs: 5 },
  })) {
    keys.push(...rowKeys(batch));
  }
  return keys;
}

describe('resume against the emulator', () => {
  // Two streams of 30,000 rows: each is two record batches (the emulator writes 16,384 rows per batch).
  let baseline: string[];
  let streamBytes: number;

  beforeAll(async () => {
    const proxy = await startCuttingProxy(emu.origin, () => undefined);
    try {
      baseline = await readAll(proxy.url, 2);
      streamBytes = Math.min(
        ...proxy.responses.filter((r) => r.path.includes('/readStreams/')).map((r) => r.forwarded),
      );
    } finally {
      await proxy.stop();
    }
    expect(baseline).toHaveLength(ROWS);
  });

  async function readWithCuts(cutAt: () => number) {
    const cuts: number[] = [];
    const proxy = await startCuttingProxy(emu.origin, (p, count) => {
      if (!p.includes('/readStreams/') || count > 0) return undefined;
      const cut = cutAt();
      cuts.push(cut);
      return cut;
    });
    try {
      const keys = await readAll(proxy.url, 2);
      expect(proxy.responses.filter((r) => r.cut).length, `cuts ${cuts}`).toBe(2);
      expect(keys.length, `cuts ${cuts}`).toBe(ROWS);
      // Same multiset of rows as an uninterrupted read: nothing lost, nothing repeated.
      expect([...keys].sort(), `cuts ${cuts}`).toEqual([...baseline].sort());
      return proxy.responses.filter((r) => r.path.includes('/readStreams/')).map((r) => r.path);
    } finally {
      await proxy.stop();
    }
  }

  // Cuts are drawn from the suite's fast-check seed (scripts/test/fast-check-seed.ts), one seed per run, so a
  // failure prints its seed and cuts and replays; each run is its own test so each gets the whole test timeout.
  it.each([
    1, 2, 3,
  ])('the first response of each stream cut at a random byte: every row exactly once (run %i)', async (run) => {
    const cut = fc.integer({ min: 1, max: streamBytes - 1 });
    const seed = fc.readConfigureGlobal().seed;
    await fc.assert(
      fc.asyncProperty(fc.tuple(cut, cut), async (drawn) => {
        const pending = [...drawn];
        await readWithCuts(() => pending.shift()!);
      }),
      { numRuns: 1, seed: seed === undefined ? undefined : seed + run, endOnFailure: true },
    );
  });

  it('a cut after the first batch resumes at offset 16384', async () => {
    const paths = await readWithCuts(() => Math.floor(streamBytes * 0.95));
    expect(paths.filter((p) => p.includes('offset=16384'))).toHaveLength(2);
  });
});

describe('abort against the emulator', () => {
  it('aborting mid-stream rejects with an AbortError and closes the connections', async () => {
    const proxy = await startCuttingProxy(emu.origin, () => undefined);
    try {
      const client = createTransport({ baseUrl: proxy.url, apiToken: TOKEN });
      const controller = new AbortController();
      const iterator = toArrowBatchIterator(client, OBS, {
        signal: controller.signal,
        maxParallelization: 2,
      });
      await iterator.next();
      controller.abort();
      await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
      await vi.waitFor(() => {
        const streams = proxy.responses.filter((r) => r.path.includes('/readStreams/'));
        expect(streams.length).toBeGreaterThan(0);
        // No stream left open: each was abandoned by the client or had already been read to its end.
        expect(streams.filter((r) => !r.clientClosed && !r.finished)).toEqual([]);
        expect(streams.some((r) => r.clientClosed)).toBe(true);
      }, PATIENT);
    } finally {
      await proxy.stop();
    }
  });
});
