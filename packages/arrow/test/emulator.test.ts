import { createTransport, NotFoundError, path } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import type { RecordBatch } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listRows,
  toArrowBatchIterator,
  toArrowTable,
  toGeoJSON,
  toReadableStream,
  toReadStreams,
} from '../src/index.js';

const ROWS = 5000;
const IRIS = path`/tables/${'demo.iris_species:v1_0.iris'}`;
const OBS = path`/tables/${'demo.weather_sample:v1_0.daily_observations'}`;
const STATIONS = path`/tables/${'demo.weather_sample:v1_0.stations'}`;

let emu: RunningEmulator;
let client: ReturnType<typeof createTransport>;
let relation: string;

/** Rows of a DuckDB query against the emulator's own storage: the ground truth the readers must reproduce. */
async function truth<T>(sql: string): Promise<T[]> {
  return emu.ctx.db.all<T>(sql.replaceAll('OBS', relation));
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: ROWS, rateLimit: false });
  client = createTransport({ baseUrl: emu.url, apiToken: 'rdv_demo_alice_token' });
  const row = await emu.ctx.db.one<{ storage: string }>(
    "SELECT storage FROM tables WHERE name = 'daily_observations' AND NOT is_sample LIMIT 1",
  );
  relation = `tabledata."${row!.storage}"`;
});
afterAll(() => emu?.stop());

describe('iris (150 rows)', () => {
  it('every reader returns the 150 flowers; sepal_length sums to 876.5', async () => {
    const table = await toArrowTable(client, IRIS);
    expect(table.numRows).toBe(150);
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
      'species',
    ]);
    const sum = (values: Iterable<unknown>) =>
      Math.round([...values].reduce<number>((a, v) => a + Number(v), 0) * 10) / 10;
    expect(sum(table.getChild('sepal_length')!)).toBe(876.5);

    const rows = await listRows(client, IRIS);
    expect(rows).toHaveLength(150);
    expect(sum(rows.map((r) => r.sepal_length))).toBe(876.5);
    expect(new Set(rows.map((r) => r.species))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));

    let batched = 0;
    for await (const batch of toArrowBatchIterator(client, IRIS)) batched += batch.numRows;
    expect(batched).toBe(150);

    const reader = toReadableStream(client, IRIS).getReader();
    let streamed = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) streamed += r.value.numRows;
    expect(streamed).toBe(150);

    const streams = await toReadStreams(client, IRIS, 3);
    const parts = await Promise.all(streams.map((s) => s.listRows()));
    expect(sum(parts.flat().map((r) => r.sepal_length))).toBe(876.5);
  });

  it('maxResults and variables', async () => {
    const rows = await listRows(client, IRIS, { maxResults: 7, variables: ['SPECIES', 'sepal_length'] });
    expect(rows).toHaveLength(7);
    expect(Object.keys(rows[0]!)).toEqual(['species', 'sepal_length']);
    expect(rows[0]).toEqual({ species: 'setosa', sepal_length: 5.1 });
  });
});

describe('daily_observations', () => {
  it('types, nulls and order match the stored data exactly', async () => {
    const expected = await truth<Record<string, unknown>>(`
      SELECT station_id, strftime(date, '%Y-%m-%d') AS date, element, value,
        strftime(observed_at, '%Y-%m-%dT%H:%M:%S.%f') AS observed_at, strftime(DATE '2000-01-01' + obs_time, '%H:%M:%S.%f') AS obs_time
      FROM OBS`);
    const rows = await listRows(client, OBS, { maxParallelization: 4 });
    expect(rows).toHaveLength(ROWS);
    expect(rows).toEqual(expected);
    // Every kind of null occurs in this seed.
    for (const name of ['element', 'value', 'observed_at', 'obs_time']) {
      expect(
        rows.some((r) => r[name] === null),
        name,
      ).toBe(true);
    }
    const table = await toArrowTable(client, OBS);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'station_id:Utf8',
      'date:Date32<DAY>',
      'element:Utf8',
      'value:Int64',
      'observed_at:Timestamp<MICROSECOND>',
      'obs_time:Time64<MICROSECOND>',
    ]);
  });

  it.each([
    [undefined, undefined],
    [1, undefined],
    [1234, ['VALUE', 'date']],
    [ROWS + 10, ['obs_time']],
  ] as const)('exact counts with maxResults %s and variables %j', async (maxResults, variables) => {
    const options = {
      ...(maxResults ? { maxResults } : {}),
      ...(variables ? { variables: [...variables] } : {}),
    };
    const table = await toArrowTable(client, OBS, options);
    expect(table.numRows).toBe(Math.min(maxResults ?? ROWS, ROWS));
    const names = variables ? variables.map((v) => v.toLowerCase()) : undefined;
    if (names) expect(table.schema.fields.map((f) => f.name)).toEqual(names);
    let iterated = 0;
    for await (const batch of toArrowBatchIterator(client, OBS, { ...options, maxParallelization: 3 })) {
      iterated += batch.numRows;
    }
    expect(iterated).toBe(table.numRows);
  });

  it('parallel streams return every row exactly once (checksum over every column)', async () => {
    const [expected] = await truth<Record<string, bigint>>(`
      SELECT count(*) AS n, sum(CAST(substr(station_id, 4) AS BIGINT)) AS station, sum(date - DATE '1970-01-01') AS date,
        count(element) AS element, sum(value) AS value, sum(epoch_us(observed_at)) AS observed_at,
        sum(epoch_us(DATE '1970-01-01' + obs_time)) AS obs_time
      FROM OBS`);
    const want = Object.fromEntries(Object.entries(expected!).map(([k, v]) => [k, BigInt(v)]));
    const streams = await toReadStreams(client, OBS, 6);
    expect(streams.length).toBeGreaterThan(1);
    const perStream = await Promise.all(
      streams.map(async (s) => {
        const sums = emptySums();
        for await (const batch of s.toArrowBatchIterator()) addSums(sums, batch);
        return sums;
      }),
    );
    const total = emptySums();
    for (const s of perStream) for (const k of Object.keys(total)) total[k]! += s[k];
    expect(total).toEqual(want);

    const merged = emptySums();
    for await (const batch of toArrowBatchIterator(client, OBS, { maxParallelization: 6 }))
      addSums(merged, batch);
    expect(merged).toEqual(want);
  });

  it('unknown tables are NotFoundError', async () => {
    await expect(
      toArrowTable(client, path`/tables/${'demo.weather_sample:v1_0.nope'}`),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('stations (geography)', () => {
  it('toGeoJSON reads the WKT locations as points', async () => {
    const fc = await toGeoJSON(client, STATIONS);
    expect(fc.features).toHaveLength(25);
    const located = await truth<{ id: string; location: string; longitude: number; latitude: number }>(
      `SELECT id, location, longitude, latitude FROM tabledata."${
        (
          await emu.ctx.db.one<{ storage: string }>(
            "SELECT storage FROM tables WHERE name = 'stations' AND NOT is_sample LIMIT 1",
          )
        )!.storage
      }"`,
    );
    for (const feature of fc.features) {
      const station = located.find((s) => s.id === feature.properties.id)!;
      expect(feature.geometry).toEqual({ type: 'Point', coordinates: [station.longitude, station.latitude] });
      expect(feature.properties).not.toHaveProperty('location');
    }
  });
});

function emptySums(): Record<string, bigint> {
  return { n: 0n, station: 0n, date: 0n, element: 0n, value: 0n, observed_at: 0n, obs_time: 0n };
}

/** Adds a batch's raw column storage (valid cells only) to the running sums. */
function addSums(sums: Record<string, bigint>, batch: RecordBatch): void {
  sums.n! += BigInt(batch.numRows);
  const station = batch.getChild('station_id')!;
  for (let i = 0; i < batch.numRows; i++) sums.station! += BigInt((station.get(i) as string).slice(3));
  for (const name of ['date', 'value', 'observed_at', 'obs_time', 'element'] as const) {
    const data = batch.getChild(name)!.data[0]!;
    for (let i = 0; i < data.length; i++) {
      if (!data.getValid(i)) continue;
      sums[name]! += name === 'element' ? 1n : BigInt(data.values[i] as number | bigint);
    }
  }
}
