import { RecordBatchReader, tableFromIPC, Type } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ADMIN, ALICE } from './contract-helpers.js';
import { apiClient, readAllStreams } from './helpers/api.js';

const SEED_ROWS = 5000;
const IRIS = '/tables/demo.iris_species%3Av1_0.iris';
const OBS = '/tables/demo.weather_sample.daily_observations';
let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;
let clock = Date.now();

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: SEED_ROWS, now: () => clock });
  api = apiClient(emu.url);
});
afterAll(() => emu.stop());

async function session(path: string, body: Record<string, unknown>, token: string | null = ALICE) {
  const res = await api(`${path}/readSessions`, { token, json: body });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('read sessions and streams', () => {
  it('partitions iris over the requested streams: every row exactly once (sum 876.5, 50 per species)', async () => {
    const s = await session(IRIS, { requestedStreamCount: 4, format: 'arrow' });
    expect(s).toMatchObject({ kind: 'readSession', numRows: 150, format: 'arrow' });
    expect(s.expiresAt).toBe(clock + 6 * 3600_000);
    expect(s.streams).toHaveLength(4);
    expect(s.streams.map((x: { estimatedRows: number }) => x.estimatedRows)).toEqual([38, 38, 37, 37]);
    const tables = await readAllStreams(api, s, ALICE);
    let sum = 0;
    const species = new Map<string, number>();
    for (const t of tables) {
      for (const v of t.getChild('sepal_length') ?? []) sum += v as number;
      for (const v of t.getChild('species') ?? [])
        species.set(v as string, (species.get(v as string) ?? 0) + 1);
    }
    expect(tables.reduce((n, t) => n + t.numRows, 0)).toBe(150);
    expect(sum).toBeCloseTo(876.5, 9);
    expect([...species.values()]).toEqual([50, 50, 50]);
  });

  it('serves weather rows with the exact Arrow types, across streams that together hold every row once', async () => {
    const s = await session(OBS, { requestedStreamCount: 3 });
    expect(s.numRows).toBe(SEED_ROWS);
    const tables = await readAllStreams(api, s, ALICE);
    const fields = tables[0]?.schema.fields.map((f) => [f.name, Type[f.type.typeId], f.nullable]);
    expect(fields).toEqual([
      ['station_id', 'Utf8', true],
      ['date', 'Date', true],
      ['element', 'Utf8', true],
      ['value', 'Int', true],
      ['observed_at', 'Timestamp', true],
      ['obs_time', 'Time', true],
    ]);
    const types = tables[0]?.schema.fields.map((f) => f.type as unknown as Record<string, unknown>) ?? [];
    expect([
      types[1]?.unit,
      types[3]?.bitWidth,
      types[4]?.unit,
      types[4]?.timezone,
      types[5]?.unit,
      types[5]?.bitWidth,
    ]).toEqual([0, 64, 2, null, 2, 64]);
    // Checksum against the same data queried through SQL.
    let total = 0n;
    let nulls = 0;
    for (const t of tables) {
      const values = t.getChild('value');
      nulls += values?.nullCount ?? 0;
      for (const v of values ?? []) if (v !== null) total += v as bigint;
    }
    const q = await api('/queries', {
      token: ALICE,
      json: {
        query:
          'SELECT sum(value) AS s, countif(value IS NULL) AS n FROM demo.weather_sample.daily_observations',
      },
    });
    const [expectedSum, expectedNulls] = JSON.parse(
      (await api(`/queries/${q.body.id}/rows`, { token: ALICE })).text,
    );
    expect(String(total)).toBe(expectedSum);
    expect(String(nulls)).toBe(expectedNulls);
    expect(nulls).toBeGreaterThan(0);

    const stations = tableFromIPC(
      (
        await api(
          `/readStreams/${(await session('/tables/demo.weather_sample.stations', {})).streams[0].id}`,
          { token: ALICE },
        )
      ).bytes,
    );
    const byName = new Map(stations.schema.fields.map((f) => [f.name, Type[f.type.typeId]]));
    expect(Object.fromEntries(byName)).toMatchObject({
      location: 'Utf8',
      active: 'Bool',
      opened: 'Date',
      latitude: 'Float',
    });
    expect(stations.getChild('location')?.get(0)).toMatch(/^POINT\(/);
  });

  it('honours maxResults and selectedVariables (case-insensitive, in order)', async () => {
    const s = await session(OBS, {
      maxResults: 1001,
      requestedStreamCount: 2,
      selectedVariables: ['VALUE', 'station_id'],
    });
    expect(s.numRows).toBe(1001);
    const tables = await readAllStreams(api, s, ALICE);
    expect(tables.map((t) => t.numRows)).toEqual([501, 500]);
    expect(tables[0]?.schema.fields.map((f) => f.name)).toEqual(['value', 'station_id']);
    for (const body of [
      { selectedVariables: ['nope'] },
      { selectedVariables: 'value' },
      { requestedStreamCount: 0 },
      { maxResults: -1 },
      { format: 'parquet' },
    ]) {
      const res = await api(`${OBS}/readSessions`, { token: ALICE, json: body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    }
    const capped = await session(OBS, { requestedStreamCount: 100 });
    expect(capped.streams).toHaveLength(16);
    const small = await session(OBS, { requestedStreamCount: 8, maxResults: 3 });
    expect(small.streams).toHaveLength(3);
  });

  it('resumes at an offset, ends with a zero-row batch on eosSentinel, and sends raw Arrow', async () => {
    const s = await session(IRIS, {});
    const id = s.streams[0].id;
    const full = await api(`/readStreams/${id}`, { token: ALICE });
    expect(full.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    expect(full.headers.get('content-encoding')).toBeNull();
    const all = tableFromIPC(full.bytes);
    const resumed = tableFromIPC((await api(`/readStreams/${id}?offset=140`, { token: ALICE })).bytes);
    expect(resumed.numRows).toBe(10);
    expect(resumed.getChild('sepal_length')?.toArray()).toEqual(
      all.getChild('sepal_length')?.toArray().slice(140),
    );
    const batches = [
      ...RecordBatchReader.from(
        (await api(`/readStreams/${id}?offset=100&eosSentinel=true`, { token: ALICE })).bytes,
      ),
    ];
    expect(batches.map((b) => b.numRows)).toEqual([50, 0]);
    const end = [
      ...RecordBatchReader.from(
        (await api(`/readStreams/${id}?offset=150&eosSentinel=true`, { token: ALICE })).bytes,
      ),
    ];
    expect(end.map((b) => b.numRows)).toEqual([0]);
    expect((await api(`/readStreams/${id}?offset=151`, { token: ALICE })).status).toBe(400);
    expect((await api(`/readStreams/${id}?offset=-1`, { token: ALICE })).status).toBe(400);
  });

  it('lets anyone read public data, and only the creator read a session on private data', async () => {
    const anonymous = await session(IRIS, {}, null);
    expect((await readAllStreams(api, anonymous, null))[0]?.numRows).toBe(150);
    expect((await api(`${OBS}/readSessions`, { json: {} })).status).toBe(401);
    const s = await session(OBS, { maxResults: 5 });
    expect((await api(`/readStreams/${s.streams[0].id}`)).status).toBe(401);
    expect((await api(`/readStreams/${s.streams[0].id}`, { token: ADMIN })).status).toBe(403);
    const shared = await session(OBS, { maxResults: 5, allowAnonymousAccess: true });
    expect((await readAllStreams(api, shared, null))[0]?.numRows).toBe(5);
    expect((await api('/readStreams/unknown', { token: ALICE })).status).toBe(404);
    expect(
      (await api('/tables/demo.weather_sample.nope/readSessions', { token: ALICE, json: {} })).status,
    ).toBe(404);
  });

  it('expires sessions after 6 hours', async () => {
    const s = await session(IRIS, {});
    clock += 6 * 3600_000 + 1;
    const res = await api(`/readStreams/${s.streams[0].id}`, { token: ALICE });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      error: 'not_found',
      error_description: expect.stringMatching(/expired/),
    });
  });
});
