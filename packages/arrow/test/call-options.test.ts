import { type CallOptions, createTransport } from '@redivis-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_RECONNECT,
  listRows,
  type ReadOptions,
  StreamReadError,
  toArrowTable,
  toReadStreams,
} from '../src/index.js';
import { type StreamFault, type StreamRequestInfo, startArrowServer } from './helpers/arrow-server.js';
import { numericFixture } from './helpers/fixtures.js';

const URI = '/tables/demo.numbers:v1_0.numbers';
let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function serve(fault?: (info: StreamRequestInfo) => StreamFault | undefined) {
  const server = await startArrowServer({ [URI]: numericFixture(600, 2, 100) }, fault ? { fault } : {});
  stop = server.stop;
  // The client itself never retries: whatever retries happen below come from the read's own options.
  return { server, client: createTransport({ baseUrl: server.url, retry: { limit: 0 } }) };
}

const firstOpenFails = ({ attempt }: StreamRequestInfo): StreamFault | undefined =>
  attempt === 0 ? { status: 503 } : undefined;

describe('reads take the call options every method takes', () => {
  it('sends `headers` with every request of the read: variables, session and each stream', async () => {
    const { server, client } = await serve();
    const rows = await listRows(client, URI, { headers: { 'x-read-tag': 'r1' } });
    expect(rows).toHaveLength(600);
    const paths = server.requests.map((r) => r.path);
    expect(paths.some((p) => p.endsWith('/variables'))).toBe(true);
    expect(paths.some((p) => p.endsWith('/readSessions'))).toBe(true);
    expect(server.streamRequests()).toHaveLength(2);
    for (const r of server.requests) expect(r.headers['x-read-tag'], r.path).toBe('r1');
  });

  it('`retry` means what it means on every method: core retries a 503 when a stream opens', async () => {
    const { server, client } = await serve(firstOpenFails);
    const table = await toArrowTable(client, URI, {
      retry: { limit: 2, initialDelayMs: 1, backoffLimitMs: 1 },
      reconnect: false,
    });
    expect(table.numRows).toBe(600);
    // Each stream: the 503, then core's retry (the reader never reconnected: reconnect is off).
    expect(server.streamRequests()).toHaveLength(4);
  });

  it('`reconnect: false` fails the read at the first stream error when nothing else retries', async () => {
    const { server, client } = await serve(firstOpenFails);
    const error = await toArrowTable(client, URI, { reconnect: false, maxParallelization: 1 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(StreamReadError);
    expect(server.streamRequests()).toHaveLength(1);
  });

  it('reconnects by default with the same backoff names as core', async () => {
    expect(DEFAULT_RECONNECT).toEqual({
      limit: 10,
      initialDelayMs: 250,
      backoffLimitMs: 8000,
      jitter: true,
      idleTimeoutMs: 125_000,
    });
    const { server, client } = await serve(firstOpenFails);
    const table = await toArrowTable(client, URI, { reconnect: { initialDelayMs: 1, backoffLimitMs: 1 } });
    expect(table.numRows).toBe(600);
    expect(server.streamRequests()).toHaveLength(4);
  });

  it('toReadStreams and the ReadStream readers forward them too', async () => {
    const { server, client } = await serve();
    const [stream] = await toReadStreams(client, URI, 1, { headers: { 'x-read-tag': 'r2' } });
    await stream!.toArrowTable({ headers: { 'x-read-tag': 'r3' } });
    const setup = server.requests.filter((r) => !r.path.startsWith('/readStreams/'));
    expect(setup.map((r) => r.headers['x-read-tag'])).toEqual(['r2', 'r2']);
    expect(server.streamRequests().map((r) => r.headers['x-read-tag'])).toEqual(['r3']);
  });

  it('accepts any CallOptions object as read options', () => {
    const call: CallOptions = { timeout: 5000, retry: false, headers: { a: 'b' } };
    const read: ReadOptions = call;
    expect(read).toBe(call);
  });
});
