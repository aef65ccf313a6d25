import { createTransport } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadSession, ReadStream, readStream, toReadStreams } from '../src/index.js';
import { startArrowServer } from './helpers/arrow-server.js';
import {
  checksum,
  expectedChecksum,
  numericFixture,
  TYPED_VARIABLES,
  typedTable,
} from './helpers/fixtures.js';

const URI = '/tables/demo.numbers:v1_0.numbers';
const TYPED = '/tables/demo.types:v1_0.types';
let server: Awaited<ReturnType<typeof startArrowServer>>;
let client: ReturnType<typeof createTransport>;

beforeAll(async () => {
  server = await startArrowServer({
    [URI]: numericFixture(5000, 4, 600),
    [TYPED]: { variables: TYPED_VARIABLES, streams: [typedTable()] },
  });
  client = createTransport({ baseUrl: server.url });
});
afterAll(() => server.stop());

describe('toReadStreams', () => {
  it('posts requestedStreamCount and returns ReadStreams that together hold every row once', async () => {
    const before = server.requests.length;
    const streams = await toReadStreams(client, URI, 4, { variables: ['ID', 'x'] });
    expect(server.requests[before + 1]!.body).toEqual({
      requestedStreamCount: 4,
      format: 'arrow',
      selectedVariables: ['ID', 'x'],
    });
    expect(streams).toHaveLength(4);
    expect(streams[0]).toBeInstanceOf(ReadStream);
    expect(streams.map((s) => s.estimatedRows)).toEqual([1250, 1250, 1250, 1250]);
    expect(streams[0]!.uri).toBe(`/readStreams/${streams[0]!.id}`);
    expect(streams[0]!.variables.map((v) => v.name)).toEqual(['id', 'x']);
    // Each stream read on its own, as separate workers would.
    const parts = await Promise.all(streams.map((s) => s.listRows({ int64: 'bigint' })));
    expect(parts.map((p) => p.length)).toEqual([1250, 1250, 1250, 1250]);
    expect(checksum(parts.flat().map((r) => r.id as bigint))).toBe(expectedChecksum(5000));
    expect(Object.keys(parts[0]![0]!)).toEqual(['id', 'x']);
  });

  it('each ReadStream offers every reader', async () => {
    const [stream] = await toReadStreams(client, TYPED, 2);
    expect((await stream!.toArrowTable()).numRows).toBe(4);
    expect((await stream!.toArrowTable({ maxResults: 3 })).numRows).toBe(3);
    let rows = 0;
    for await (const batch of stream!.toArrowBatchIterator()) rows += batch.numRows;
    expect(rows).toBe(4);
    const reader = stream!.toReadableStream().getReader();
    expect((await reader.read()).value!.numRows).toBe(4);
    expect((await reader.read()).done).toBe(true);
    const fc = await stream!.toGeoJSON({ int64: 'string' });
    expect(fc.features).toHaveLength(4);
    expect(fc.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [30, 10] });
    expect(fc.features[0]!.properties.big).toBe('9007199254740993');
  });

  it('rejects a count that is not a positive integer', async () => {
    await expect(toReadStreams(client, URI, 0)).rejects.toThrow(RangeError);
    await expect(toReadStreams(client, URI, 2.5)).rejects.toThrow(RangeError);
  });
});

describe('createReadSession and readStream', () => {
  it('create a session and read one stream from an offset', async () => {
    const session = await createReadSession(client, `${URI}/`, { requestedStreamCount: 2, maxResults: 2000 });
    expect(session.streams).toHaveLength(4);
    expect(session.numRows).toBe(2000);
    const ids: bigint[] = [];
    for await (const batch of readStream(client, session.streams[1]!.id, { offset: 250 })) {
      ids.push(...(batch.getChild('id')!.toArray() as BigInt64Array));
    }
    expect(ids[0]).toBe(1500n);
    expect(ids.at(-1)).toBe(1999n);
    expect(server.requests.at(-1)!.query).toEqual({ offset: '250', eosSentinel: 'true' });
  });
});
