import { createTransport } from '@redivis-ts/core';
import { Int64, Utf8 } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listRows,
  toArrowBatchIterator,
  toArrowTable,
  toReadableStream,
  UnknownVariableError,
} from '../src/index.js';
import { startArrowServer } from './helpers/arrow-server.js';
import { checksum, expectedChecksum, NUMERIC_VARIABLES, numericFixture } from './helpers/fixtures.js';

const URI = '/tables/demo.numbers:v1_0.numbers';
const ROWS = 10_000;

let server: Awaited<ReturnType<typeof startArrowServer>>;
let client: ReturnType<typeof createTransport>;

beforeAll(async () => {
  server = await startArrowServer({ [URI]: numericFixture(ROWS, 3, 700) });
  client = createTransport({ baseUrl: server.url, apiToken: 'test-token' });
});
afterAll(() => server.stop());

describe('session and stream requests', () => {
  it('lists variables, posts the read session body of the spec, reads every stream with offset and eosSentinel', async () => {
    const before = server.requests.length;
    const table = await toArrowTable(client, URI);
    const requests = server.requests.slice(before);
    expect(requests[0]).toMatchObject({
      method: 'GET',
      path: `${URI}/variables`,
      query: { maxResults: '1000' },
    });
    expect(requests[1]).toMatchObject({
      method: 'POST',
      path: `${URI}/readSessions`,
      body: { requestedStreamCount: 8, format: 'arrow' },
    });
    expect(requests[1]!.body).not.toHaveProperty('maxResults');
    expect(requests[1]!.body).not.toHaveProperty('selectedVariables');
    const streams = requests.filter((r) => r.path.startsWith('/readStreams/'));
    expect(streams.map((r) => r.query)).toEqual([
      { offset: '0', eosSentinel: 'true' },
      { offset: '0', eosSentinel: 'true' },
      { offset: '0', eosSentinel: 'true' },
    ]);
    expect(table.numRows).toBe(ROWS);
    // Stream order is kept, so a table read comes back in table order.
    expect(Array.from(table.getChild('id')!, Number)).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:Int64',
      'x:Float64',
      'label:Utf8',
    ]);
  });

  it('asks for maxParallelization streams', async () => {
    const before = server.requests.length;
    await toArrowTable(client, URI, { maxParallelization: 2 });
    expect(server.requests[before + 1]!.body).toMatchObject({ requestedStreamCount: 2 });
  });
});

describe('maxResults', () => {
  it.each([
    1,
    699,
    700,
    3334,
    5000,
    ROWS,
    ROWS + 5,
  ])('returns exactly min(%i, rows) rows', async (maxResults) => {
    const before = server.requests.length;
    const rows = await listRows(client, URI, { maxResults });
    expect(rows).toHaveLength(Math.min(maxResults, ROWS));
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: rows.length }, (_, i) => i));
    expect(server.requests[before + 1]!.body).toMatchObject({ maxResults });
  });

  it('never exceeds maxResults when the server over-delivers', async () => {
    // A server that ignores maxResults entirely: every stream sends all its rows.
    const greedy = await startArrowServer(
      { [URI]: numericFixture(3000, 3, 400) },
      { ignoreMaxResults: true },
    );
    const greedyClient = createTransport({ baseUrl: greedy.url });
    try {
      let seen = 0;
      for await (const batch of toArrowBatchIterator(greedyClient, URI, {
        maxResults: 10,
        maxParallelization: 1,
      })) {
        seen += batch.numRows;
      }
      expect(seen).toBe(10);
      expect(greedy.responses[0]!.total).toBeGreaterThan(400 * 16);
      expect(await listRows(greedyClient, URI, { maxResults: 1234 })).toHaveLength(1234);
    } finally {
      await greedy.stop();
    }
  });

  it('maxResults 0 reads nothing and returns an empty table with the schema', async () => {
    const before = server.requests.length;
    const table = await toArrowTable(client, URI, { maxResults: 0 });
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'x', 'label']);
    expect(server.requests.slice(before).map((r) => r.path)).toEqual([`${URI}/variables`]);
  });

  it('rejects invalid numeric options before any request', async () => {
    const before = server.requests.length;
    await expect(toArrowTable(client, URI, { maxResults: -1 })).rejects.toThrow(RangeError);
    await expect(toArrowTable(client, URI, { maxResults: 1.5 })).rejects.toThrow(RangeError);
    await expect(toArrowTable(client, URI, { maxParallelization: 0 })).rejects.toThrow(RangeError);
    expect(server.requests.length).toBe(before);
  });
});

describe('variables', () => {
  it('selects case-insensitively, in the caller order, sending the caller list', async () => {
    const before = server.requests.length;
    const table = await toArrowTable(client, URI, { variables: ['LABEL', 'Id'], maxResults: 8 });
    expect(server.requests[before + 1]!.body).toMatchObject({ selectedVariables: ['LABEL', 'Id'] });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['label', 'id']);
    expect(table.schema.fields[0]!.type).toBeInstanceOf(Utf8);
    expect(table.schema.fields[1]!.type).toBeInstanceOf(Int64);
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { label: null, id: 0n },
      { label: 'row 1', id: 1n },
      { label: 'row 2', id: 2n },
      { label: 'row 3', id: 3n },
      { label: 'row 4', id: 4n },
      { label: 'row 5', id: 5n },
      { label: 'row 6', id: 6n },
      { label: null, id: 7n },
    ]);
  });

  it('raises UnknownVariableError naming the unknown variables, without creating a session', async () => {
    const before = server.requests.length;
    const error = await toArrowTable(client, URI, { variables: ['id', 'nope', 'Nada'] }).catch((e) => e);
    expect(error).toBeInstanceOf(UnknownVariableError);
    expect(error.variables).toEqual(['nope', 'Nada']);
    expect(server.requests.slice(before).some((r) => r.path.endsWith('/readSessions'))).toBe(false);
  });
});

describe('readers', () => {
  it('toArrowBatchIterator yields every row exactly once across parallel streams', async () => {
    const ids: bigint[] = [];
    for await (const batch of toArrowBatchIterator(client, URI, { maxParallelization: 3 })) {
      expect(batch.schema.fields.map((f) => f.name)).toEqual(NUMERIC_VARIABLES.map((v) => v.name));
      ids.push(...(batch.getChild('id')!.toArray() as BigInt64Array));
    }
    expect(checksum(ids)).toBe(expectedChecksum(ROWS));
  });

  it('reports progress with rows, bytes and the total', async () => {
    const progress: { rows: number; bytes: number; totalRows?: number }[] = [];
    await toArrowTable(client, URI, { onProgress: (p) => progress.push(p) });
    const last = progress.at(-1)!;
    expect(last.rows).toBe(ROWS);
    expect(last.totalRows).toBe(ROWS);
    expect(last.bytes).toBeGreaterThan(ROWS * 16);
    expect(progress.every((p, i) => i === 0 || p.rows > progress[i - 1]!.rows)).toBe(true);
  });

  it('batchPreprocessor transforms and drops batches', async () => {
    let calls = 0;
    const table = await toArrowTable(client, URI, {
      batchPreprocessor: (batch) => {
        calls++;
        return calls % 2 === 0 ? null : batch.selectAt([0]);
      },
    });
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id']);
    expect(calls).toBe(Math.ceil(3334 / 700) * 2 + Math.ceil(3332 / 700));
    expect(table.numRows).toBeLessThan(ROWS);
  });

  it('toReadableStream reads batch by batch and cancels cleanly', async () => {
    const reader = toReadableStream(client, URI, { maxParallelization: 1 }).getReader();
    let rows = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rows += value.numRows;
    }
    expect(rows).toBe(ROWS);

    const partial = toReadableStream(client, URI, { maxParallelization: 1 }).getReader();
    const first = await partial.read();
    expect(first.value!.numRows).toBe(700);
    await partial.cancel();
    expect((await partial.closed.then(() => 'closed')) as string).toBe('closed');
  });
});
