import { createTransport } from '@redivis-ts/core';
import {
  Bool,
  DateDay,
  Float64,
  Int32,
  Int64,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listRows,
  SchemaMismatchError,
  toArrowTable,
  toGeoJSON,
  UnknownVariableError,
  UnsafeIntegerError,
} from '../src/index.js';
import { startArrowServer } from './helpers/arrow-server.js';
import { NUMERIC_VARIABLES, numericTable, TYPED_VARIABLES, tableOf, typedTable } from './helpers/fixtures.js';

const TYPED = '/tables/demo.types:v1_0.types';
const MIXED = '/tables/demo.mixed:next.mixed';
const BAD = '/tables/demo.bad:v1_0.bad';
let server: Awaited<ReturnType<typeof startArrowServer>>;
let client: ReturnType<typeof createTransport>;

beforeAll(async () => {
  server = await startArrowServer({
    [TYPED]: { variables: TYPED_VARIABLES, streams: [typedTable()], batchRows: 3 },
    // An unreleased table: one stream per upload, each with its own schema.
    [MIXED]: {
      variables: [...NUMERIC_VARIABLES, { name: 'when', type: 'date' }, { name: 'at', type: 'dateTime' }],
      streams: [
        numericTable(0, 3),
        tableOf([
          { name: 'LABEL', type: new Utf8(), values: ['a', null] },
          { name: 'when', type: new Utf8(), values: ['2024-02-29', null] },
          { name: 'ID', type: new Int32(), values: [3, 4] },
          { name: 'at', type: new TimestampMillisecond(), values: [1000n, null] },
        ]),
        tableOf([
          { name: 'x', type: new Utf8(), values: ['1.25', 'NaN'] },
          { name: 'id', type: new Utf8(), values: ['5', '9007199254740993'] },
          { name: 'at', type: new Utf8(), values: ['2020-01-01 00:00:00.000001', '1969-12-31T23:59:59.5'] },
        ]),
      ],
    },
    [BAD]: {
      variables: [
        { name: 'n', type: 'integer' },
        { name: 'geom', type: 'geography' },
      ],
      streams: [
        tableOf([
          { name: 'n', type: new Utf8(), values: ['12', 'twelve'] },
          { name: 'geom', type: new Utf8(), values: ['POINT (1 2)', 'POINT (1'] },
        ]),
      ],
    },
  });
  client = createTransport({ baseUrl: server.url });
});
afterAll(() => server.stop());

describe('listRows type mapping', () => {
  it('maps every type, keeping microseconds, dates before 1970 and nulls (int64 as bigint)', async () => {
    const rows = await listRows(client, TYPED, { int64: 'bigint' });
    expect(rows).toEqual([
      {
        id: 1n,
        big: 9007199254740993n,
        f: 1.5,
        b: true,
        d: '2021-01-01',
        dt: '2021-01-01T00:00:00.123456',
        t: '12:34:56.000001',
        s: 'héllo',
        geom: 'POINT (30 10)',
      },
      {
        id: 2n,
        big: -5n,
        f: null,
        b: false,
        d: '1969-12-31',
        dt: '1969-12-31T23:59:59.999999',
        t: '00:00:00.000000',
        s: '',
        geom: 'LINESTRING (30 10, 10 30, 40 40)',
      },
      { id: 3n, big: null, f: -0.25, b: null, d: null, dt: null, t: '23:59:59.999999', s: null, geom: null },
      {
        id: 4n,
        big: 42n,
        f: 1e300,
        b: true,
        d: '1970-01-01',
        dt: '1970-01-01T00:00:00.000000',
        t: null,
        s: 'x',
        geom: 'POLYGON ((30 10, 40 40, 20 40, 10 20, 30 10))',
      },
    ]);
    expect(Object.keys(rows[0]!)).toEqual(TYPED_VARIABLES.map((v) => v.name));
  });

  it("int64 'string' keeps every digit", async () => {
    const rows = await listRows(client, TYPED, { int64: 'string', variables: ['big'] });
    expect(rows.map((r) => r.big)).toEqual(['9007199254740993', '-5', null, '42']);
  });

  it("int64 'number' (the default) returns numbers and raises UnsafeIntegerError rather than round", async () => {
    expect((await listRows(client, TYPED, { variables: ['id'] })).map((r) => r.id)).toEqual([1, 2, 3, 4]);
    const error = await listRows(client, TYPED, { variables: ['big'] }).catch((e) => e);
    expect(error).toBeInstanceOf(UnsafeIntegerError);
    expect(error).toMatchObject({ variable: 'big', value: '9007199254740993' });
    expect(error.message).toContain("int64: 'bigint'");
  });

  it('the Arrow table has the client-expected types', async () => {
    const table = await toArrowTable(client, TYPED);
    expect(table.schema.fields.map((f) => f.type.constructor)).toEqual([
      Int64,
      Int64,
      Float64,
      Bool,
      DateDay,
      TimestampMicrosecond,
      TimeMicrosecond,
      Utf8,
      Utf8,
    ]);
    // Exact microseconds stay in the raw storage.
    expect(table.getChild('dt')!.data[0]!.values[0]).toBe(1609459200123456n);
  });
});

describe('schema reconciliation', () => {
  it('brings streams with differing schemas to the variables order and types, with typed nulls', async () => {
    const table = await toArrowTable(client, MIXED);
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:Int64',
      'x:Float64',
      'label:Utf8',
      'when:Date32<DAY>',
      'at:Timestamp<MICROSECOND>',
    ]);
    const rows = await listRows(client, MIXED, { int64: 'string' });
    expect(rows).toEqual([
      { id: '0', x: 0, label: null, when: null, at: null },
      { id: '1', x: 0.25, label: 'row 1', when: null, at: null },
      { id: '2', x: 0.5, label: 'row 2', when: null, at: null },
      { id: '3', x: null, label: 'a', when: '2024-02-29', at: '1970-01-01T00:00:01.000000' },
      { id: '4', x: null, label: null, when: null, at: null },
      { id: '5', x: 1.25, label: null, when: null, at: '2020-01-01T00:00:00.000001' },
      { id: '9007199254740993', x: Number.NaN, label: null, when: null, at: '1969-12-31T23:59:59.500000' },
    ]);
  });

  it('a value that does not parse as its variable type raises SchemaMismatchError', async () => {
    const error = await listRows(client, BAD, { variables: ['n'] }).catch((e) => e);
    expect(error).toBeInstanceOf(SchemaMismatchError);
    expect(error.variable).toBe('n');
    expect(error.message).toContain('twelve');
  });
});

describe('toGeoJSON', () => {
  it('builds a FeatureCollection from the first geography variable', async () => {
    const fc = await toGeoJSON(client, TYPED, { variables: ['id', 'geom', 's'] });
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f) => f.geometry)).toEqual([
      { type: 'Point', coordinates: [30, 10] },
      {
        type: 'LineString',
        coordinates: [
          [30, 10],
          [10, 30],
          [40, 40],
        ],
      },
      null,
      {
        type: 'Polygon',
        coordinates: [
          [
            [30, 10],
            [40, 40],
            [20, 40],
            [10, 20],
            [30, 10],
          ],
        ],
      },
    ]);
    expect(fc.features.map((f) => f.properties)).toEqual([
      { id: 1, s: 'héllo' },
      { id: 2, s: '' },
      { id: 3, s: null },
      { id: 4, s: 'x' },
    ]);
    expect(fc.features.every((f) => f.type === 'Feature')).toBe(true);
  });

  it('uses geographyVariable (case-insensitive) and rejects unknown or missing ones', async () => {
    const fc = await toGeoJSON(client, TYPED, {
      geographyVariable: 'GEOM',
      variables: ['geom'],
      maxResults: 1,
    });
    expect(fc.features).toEqual([
      { type: 'Feature', geometry: { type: 'Point', coordinates: [30, 10] }, properties: {} },
    ]);
    await expect(toGeoJSON(client, TYPED, { geographyVariable: 'nope' })).rejects.toBeInstanceOf(
      UnknownVariableError,
    );
    await expect(toGeoJSON(client, TYPED, { variables: ['id'] })).rejects.toBeInstanceOf(SchemaMismatchError);
  });

  it('invalid WKT raises SchemaMismatchError naming the variable', async () => {
    const error = await toGeoJSON(client, BAD, { variables: ['geom'] }).catch((e) => e);
    expect(error).toBeInstanceOf(SchemaMismatchError);
    expect(error.variable).toBe('geom');
    expect(error.message).toContain('POINT (1');
  });
});
