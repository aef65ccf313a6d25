import { createTransport, path } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toArrowBatchIterator, toRowIterator } from '../src/index.js';
import { mergeOrdered } from '../src/ordered-merge.js';

// A query's ORDER BY must survive a read through parallel streams. The emulator's fault injection holds back the
// first read-stream request, so an interleaving reader would hand on the later streams' rows first.
const ROWS = 20_000;
const TOKEN = 'rdv_demo_alice_token';
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: ROWS, rateLimit: false, faults: { enabled: true } });
});
afterAll(() => emu?.stop());

/** A source yielding `values` with a pause before each (the pauses make sources finish out of order). */
function source(values: number[], pauseMs: number) {
  return async function* (signal: AbortSignal) {
    for (const v of values) {
      await new Promise((r) => setTimeout(r, pauseMs));
      signal.throwIfAborted();
      yield v;
    }
  };
}

describe('mergeOrdered', () => {
  it('yields source by source whatever order the sources produce in, reading them at once', async () => {
    const started: number[] = [];
    const sources = [source([1, 2, 3], 30), source([4, 5], 1), source([6], 1), source([7, 8], 1)].map(
      (s, i) => (signal: AbortSignal) => {
        started.push(i);
        return s(signal);
      },
    );
    const out: Array<[number, number]> = [];
    for await (const { source: i, value } of mergeOrdered(sources, { concurrency: 4, capacity: 1 })) {
      out.push([i, value]);
      // Every source started before the first value was handed on: they are read in parallel.
      expect(started).toEqual([0, 1, 2, 3]);
    }
    expect(out).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 4],
      [1, 5],
      [2, 6],
      [3, 7],
      [3, 8],
    ]);
  });

  it('fails with the first failure and aborts the other sources on return', async () => {
    let aborted = 0;
    const failing = async function* () {
      yield 1;
      throw new Error('stream broke');
    };
    const endless = async function* (signal: AbortSignal) {
      signal.addEventListener('abort', () => aborted++);
      for (;;) {
        await new Promise((r) => setTimeout(r, 1));
        if (signal.aborted) return;
        yield 0;
      }
    };
    const merged = mergeOrdered([failing, endless], { concurrency: 2, capacity: 2 });
    await expect(
      (async () => {
        for await (const _ of merged);
      })(),
    ).rejects.toThrow('stream broke');
    expect(aborted).toBe(1);

    const early = mergeOrdered([endless, endless], { concurrency: 2, capacity: 2 });
    for await (const _ of early) break;
    expect(aborted).toBe(3);
  });
});

describe('query results through parallel streams', () => {
  it('keep the ORDER BY of the query in the row and batch iterators', async () => {
    const client = createTransport({ baseUrl: emu.url, apiToken: TOKEN });
    const res = await fetch(`${emu.url}/queries`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        query: `SELECT station_id, date, value FROM demo.weather_sample.daily_observations
                WHERE value IS NOT NULL ORDER BY value DESC, station_id, date`,
      }),
    });
    const query = (await res.json()) as { id: string; status: string; outputNumRows: number };
    expect(query.status, JSON.stringify(query)).toBe('completed');
    const uri = path`/queries/${query.id}`;

    for (const read of ['rows', 'batches'] as const) {
      // The first stream request waits, so the other streams' batches are ready long before stream 0's.
      emu.ctx.faults.arm([{ route: 'GET /readStreams/*', latencyMs: 400, times: 1 }], 'GET', '/');
      const values: number[] = [];
      if (read === 'rows') {
        for await (const row of toRowIterator(client, uri, { maxParallelization: 4 })) {
          values.push(row.value as number);
        }
      } else {
        for await (const batch of toArrowBatchIterator(client, uri, { maxParallelization: 4 })) {
          values.push(...[...batch.getChild('value')!].map(Number));
        }
      }
      expect(values).toHaveLength(query.outputNumRows);
      expect(query.outputNumRows).toBeGreaterThan(ROWS / 2);
      const sorted = [...values].sort((a, b) => b - a);
      expect(values).toEqual(sorted);
    }
  });
});
