import { createTransport } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toArrowBatchIterator, toArrowTable } from '../src/index.js';
import { startArrowServer } from './helpers/arrow-server.js';
import { checksum, expectedChecksum, generatedFixture, numericFixture } from './helpers/fixtures.js';

const URI = '/tables/demo.big:v1_0.big';
const ROWS = 10_000_000;
let server: Awaited<ReturnType<typeof startArrowServer>>;
let client: ReturnType<typeof createTransport>;

beforeAll(async () => {
  server = await startArrowServer({ [URI]: generatedFixture(ROWS, 2, 5000) }, { chunkBytes: 64 * 1024 });
  client = createTransport({ baseUrl: server.url });
});
afterAll(() => server.stop());

// Waits for behaviour (a closed connection, a blocked writer) on a possibly busy machine; nothing is timed.
const PATIENT = { timeout: 15_000, interval: 20 };
const newResponses = (before: number) => server.responses.slice(before);

describe('abort', () => {
  it('aborting mid-stream rejects with an AbortError and closes every open response', async () => {
    const before = server.responses.length;
    const controller = new AbortController();
    const iterator = toArrowBatchIterator(client, URI, { signal: controller.signal, maxParallelization: 2 });
    const first = await iterator.next();
    expect(first.value!.numRows).toBe(5000);
    controller.abort();
    const error = await iterator.next().catch((e) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe('AbortError');
    await vi.waitFor(() => {
      const opened = newResponses(before);
      expect(opened.length).toBeGreaterThan(0);
      expect(opened.every((r) => r.closedEarly)).toBe(true);
    }, PATIENT);
    expect(newResponses(before).every((r) => !r.finished)).toBe(true);
  });

  it('rejects with the signal reason when one is given', async () => {
    const controller = new AbortController();
    const reason = new Error('user went away');
    const pending = toArrowTable(client, URI, { signal: controller.signal });
    // Abort once the first response is streaming.
    const before = server.responses.length;
    await vi.waitFor(() => expect(server.responses.length).toBeGreaterThan(before), PATIENT);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('an already aborted signal sends nothing', async () => {
    const before = server.requests.length;
    const error = await toArrowTable(client, URI, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(error.name).toBe('AbortError');
    expect(server.requests.length).toBe(before);
  });

  it('aborts promptly while waiting to reconnect', async () => {
    const flaky = await startArrowServer(
      { [URI]: numericFixture(1000, 1, 100) },
      { fault: () => ({ status: 503 }) },
    );
    try {
      const controller = new AbortController();
      const pending = toArrowTable(createTransport({ baseUrl: flaky.url, retry: { limit: 0 } }), URI, {
        signal: controller.signal,
        reconnect: { limit: 10, initialDelayMs: 60_000, backoffLimitMs: 60_000, jitter: false },
      });
      await vi.waitFor(() => expect(flaky.streamRequests().length).toBe(1), PATIENT);
      controller.abort();
      await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      expect(flaky.streamRequests()).toHaveLength(1);
    } finally {
      await flaky.stop();
    }
  });

  it('breaking out of the loop releases the connections', async () => {
    const before = server.responses.length;
    for await (const batch of toArrowBatchIterator(client, URI, { maxParallelization: 2 })) {
      expect(batch.numRows).toBe(5000);
      break;
    }
    await vi.waitFor(() => {
      const opened = newResponses(before);
      expect(opened.length).toBeGreaterThan(0);
      expect(opened.every((r) => r.closedEarly || r.finished)).toBe(true);
      expect(opened.some((r) => r.closedEarly)).toBe(true);
    }, PATIENT);
  });
});

describe('back-pressure', () => {
  it('a consumer that stops pulling stops the network reads; pulling again resumes them', async () => {
    const before = server.responses.length;
    const iterator = toArrowBatchIterator(client, URI, { maxParallelization: 1 });
    const ids: bigint[] = [];
    const take = async () => {
      const r = await iterator.next();
      ids.push(...(r.value!.getChild('id')!.toArray() as BigInt64Array));
    };
    await take();
    // The server blocks on a full socket: the reader buffered a bounded amount and stopped reading.
    await vi.waitFor(() => expect(newResponses(before)[0]?.waitingForDrain).toBe(true), PATIENT);
    const response = newResponses(before)[0]!;
    const stalledAt = response.written;
    // 5M rows of ~26 bytes: a reader without back-pressure would have pulled far more than this.
    expect(stalledAt).toBeLessThan(32 * 1024 * 1024);
    for (let i = 0; i < 50; i++) await take();
    await vi.waitFor(() => expect(response.waitingForDrain).toBe(true), PATIENT);
    expect(response.written).toBeGreaterThan(stalledAt);
    await iterator.return();
    expect(checksum(ids)).toBe(expectedChecksum(51 * 5000));
    await vi.waitFor(() => expect(response.closedEarly).toBe(true), PATIENT);
  });
});
