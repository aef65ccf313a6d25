import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { arrowRows, freshTable, listRows, sendJson, uploadAndWait, variables } from './helpers.js';

let emu: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10 });
  dir = await mkdtemp(join(tmpdir(), 'redivis-emulator-formats-'));
});
afterAll(async () => {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('delimited options', () => {
  it('honours delimiter, quote, escape, header, null markers and jagged rows', async () => {
    const table = await freshTable(emu);
    const text = "1;'a;b';NA\n2;'it\\'s';x\n3;plain\n";
    const done = await uploadAndWait(
      emu,
      table,
      {
        delimiter: ';',
        quoteCharacter: "'",
        escapeCharacter: '\\',
        hasHeaderRow: false,
        nullMarkers: ['NA'],
        allowJaggedRows: true,
      },
      text,
      'opts.txt',
    );
    expect(done).toMatchObject({ status: 'completed', numRows: 3, delimiter: ';', quoteCharacter: "'" });
    expect(await variables(emu, table)).toEqual(['column0:integer', 'column1:string', 'column2:string']);
    expect(await listRows(emu, table)).toEqual([
      ['1', 'a;b', null],
      ['2', "it's", 'x'],
      ['3', 'plain', null],
    ]);
  });

  it('names variables as Redivis does when a cleaned header takes the name another column still has', async () => {
    const table = await freshTable(emu);
    // `a b` becomes a_b while the next column is a_b (renamed a_b_2); rename_0 is the staging's first spare name.
    const text = 'a b,a_b,Price ($),rename_0,1st\n1,x,2.5,y,2024-01-02 03:04:05+02\n';
    const done = await uploadAndWait(emu, table, {}, text, 'names.csv');
    expect(done).toMatchObject({ status: 'completed', numRows: 1 });
    expect(await variables(emu, table)).toEqual([
      'a_b:integer',
      'a_b_2:string',
      'Price_:float',
      'rename_0:string',
      '_1st:dateTime',
    ]);
    expect(await listRows(emu, table)).toEqual([['1', 'x', '2.5', 'y', '2024-01-02 01:04:05']]);
  });

  it('types a column by every row when a value past the sniffed sample does not fit the sampled type', async () => {
    const table = await freshTable(emu);
    const lines = Array.from({ length: 60_000 }, (_, i) => `${i},${i % 7}`);
    const done = await uploadAndWait(emu, table, {}, `id,n\n${lines.join('\n')}\n60000,seven\n`, 'late.csv');
    expect(done).toMatchObject({ status: 'completed', numRows: 60_001 });
    expect(await variables(emu, table)).toEqual(['id:integer', 'n:string']);
  });

  it('fails a malformed CSV with the line, leaving the table unchanged; skipBadRecords counts the bad rows', async () => {
    const table = await freshTable(emu);
    await uploadAndWait(emu, table, {}, 'n,s\n1,a\n', 'first.csv');
    const before = await listRows(emu, table);
    const bad = 'n,s\n2,b\n3,c,extra,columns\n4,d\n';
    const failed = await uploadAndWait(emu, table, {}, bad, 'bad.csv');
    expect(failed.status).toBe('failed');
    expect(failed.errorMessage).toMatch(/bad\.csv/);
    expect(failed.errorMessage).not.toMatch(/\/tmp|uploads\//);
    expect(await listRows(emu, table)).toEqual(before);
    const skipped = await uploadAndWait(emu, table, { skipBadRecords: true }, bad, 'skip.csv');
    expect(skipped).toMatchObject({ status: 'completed', numRows: 2, badRecordsCount: 1 });
    expect(await listRows(emu, table)).toEqual([...before, ['2', 'b'], ['4', 'd']]);
  });

  it('applies an explicit schema to a delimited file and fails values that do not parse', async () => {
    const table = await freshTable(emu);
    const schema = [
      { name: 'code', type: 'string' },
      { name: 'when', type: 'date' },
    ];
    const done = await uploadAndWait(emu, table, { schema }, 'code,when\n007,2024-01-01\n', 's.csv');
    expect(done.status).toBe('completed');
    expect(await listRows(emu, table)).toEqual([['007', '2024-01-01']]);
    const wrong = await uploadAndWait(emu, table, { schema }, 'code,when\n1,not a date\n', 'w.csv');
    expect(wrong.status).toBe('failed');
    expect(await listRows(emu, table)).toEqual([['007', '2024-01-01']]);
  });
});

describe('formats round-trip row for row with exact types', () => {
  it('NDJSON and JSON (nested values as JSON text, timestamps as dateTime)', async () => {
    const table = await freshTable(emu);
    const ndjson =
      '{"i":1,"f":1.5,"b":true,"s":"x","t":"2024-01-02T03:04:05Z","o":{"k":[1,2]}}\n{"i":2,"f":null,"b":false,"s":null,"t":null,"o":null}\n';
    expect((await uploadAndWait(emu, table, {}, ndjson, 'a.ndjson')).status).toBe('completed');
    expect(await variables(emu, table)).toEqual([
      'i:integer',
      'f:float',
      'b:boolean',
      's:string',
      't:dateTime',
      'o:string',
    ]);
    const rows = await arrowRows(emu, table);
    expect(rows[0]).toMatchObject({ i: 1n, f: 1.5, b: true, s: 'x', o: '{"k":[1,2]}' });
    expect(rows[0]?.t).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(rows[1]).toMatchObject({ i: 2n, f: null, b: false, s: null });
    const json = await freshTable(emu);
    const done = await uploadAndWait(
      emu,
      json,
      {},
      JSON.stringify([{ a: 1 }, { a: 2 }, { a: 3 }]),
      'arr.json',
    );
    expect(done).toMatchObject({ status: 'completed', numRows: 3, type: 'json' });
    const skip = await uploadAndWait(
      emu,
      json,
      { skipBadRecords: true },
      '{"a":4}\nnot json\n{"a":5}\n',
      'x.ndjson',
    );
    expect(skip).toMatchObject({ status: 'completed', numRows: 2, badRecordsCount: 1 });
    const strict = await uploadAndWait(emu, json, {}, '{"a":6}\nnot json\n', 'y.ndjson');
    expect(strict.status).toBe('failed');
    expect(strict.errorMessage).toMatch(/Malformed JSON/);
    expect((await listRows(emu, json)).map((r) => r[0])).toEqual(['1', '2', '3', '4', '5']);
  });

  it('Parquet written by DuckDB, with dates, times and timestamps with zone', async () => {
    const path = join(dir, 'p.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT 1::INTEGER AS small, 2.25::DECIMAL(5,2) AS dec, DATE '2024-02-03' AS d,
      TIME '04:05:06.5' AS tm, TIMESTAMPTZ '2024-02-03 04:05:06+02' AS tz, 'POINT(1 2)' AS g)
      TO '${path}' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
    const table = await freshTable(emu);
    const done = await uploadAndWait(emu, table, {}, await readFile(path), 'p.parquet');
    expect(done).toMatchObject({ status: 'completed', numRows: 1, type: 'parquet' });
    expect(await variables(emu, table)).toEqual([
      'small:integer',
      'dec:float',
      'd:date',
      'tm:time',
      'tz:dateTime',
      'g:geography',
    ]);
    expect(await listRows(emu, table)).toEqual([
      ['1', '2.25', '2024-02-03', '04:05:06.500000', '2024-02-03 02:05:06', 'POINT(1 2)'],
    ]);
  });

  it('Avro with logical types', async () => {
    // Logical types are written to the header only when registered; pass-through classes keep the raw numbers.
    class Raw extends avro.types.LogicalType {
      override _fromValue(v: unknown) {
        return v;
      }
      override _toValue(v: unknown) {
        return v;
      }
    }
    const type = avro.Type.forSchema(
      {
        type: 'record',
        name: 'r',
        fields: [
          { name: 'id', type: 'long' },
          { name: 'name', type: ['null', 'string'] },
          { name: 'day', type: { type: 'int', logicalType: 'date' } },
          { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
          { name: 'ok', type: 'boolean' },
        ],
      } as never,
      { logicalTypes: { date: Raw, 'timestamp-micros': Raw } },
    );
    const path = join(dir, 'r.avro');
    await new Promise<void>((resolve, reject) => {
      const enc = avro.createFileEncoder(path, type);
      enc.on('finish', resolve).on('error', reject);
      enc.write({ id: 7, name: 'seven', day: 19_000, at: 1_700_000_000_123_456, ok: true });
      enc.write({ id: 8, name: null, day: 0, at: 0, ok: false });
      enc.end();
    });
    const table = await freshTable(emu);
    const done = await uploadAndWait(emu, table, {}, await readFile(path), 'r.avro');
    expect(done).toMatchObject({ status: 'completed', numRows: 2, type: 'avro' });
    expect(await variables(emu, table)).toEqual([
      'id:integer',
      'name:string',
      'day:date',
      'at:dateTime',
      'ok:boolean',
    ]);
    expect(await listRows(emu, table)).toEqual([
      ['7', 'seven', '2022-01-08', '2023-11-14 22:13:20.123456', 'true'],
      ['8', null, '1970-01-01', '1970-01-01 00:00:00', 'false'],
    ]);
  });

  it('GeoJSON and GeoJSONL: properties as variables, geometry as WKT geography', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { name: 'a', n: 1 },
          geometry: { type: 'Point', coordinates: [1, 2] },
        },
        {
          type: 'Feature',
          properties: { name: 'b', n: 2 },
          geometry: {
            type: 'LineString',
            coordinates: [
              [0, 0],
              [1, 1],
            ],
          },
        },
      ],
    };
    const table = await freshTable(emu);
    const done = await uploadAndWait(emu, table, {}, JSON.stringify(fc), 'map.geojson');
    expect(done).toMatchObject({ status: 'completed', numRows: 2, type: 'geojson' });
    expect(await variables(emu, table)).toEqual(['name:string', 'n:integer', 'geometry:geography']);
    expect(await listRows(emu, table)).toEqual([
      ['a', '1', 'POINT (1 2)'],
      ['b', '2', 'LINESTRING (0 0, 1 1)'],
    ]);
    const lines = fc.features.map((f) => JSON.stringify(f)).join('\n');
    const gl = await freshTable(emu);
    expect((await uploadAndWait(emu, gl, {}, `${lines}\n`, 'map.geojsonl')).numRows).toBe(2);
    const bad = await uploadAndWait(
      emu,
      gl,
      {},
      `${lines}\n{"type":"Feature","geometry":{"type":7}}\n`,
      'b.geojsonl',
    );
    expect(bad.status).toBe('failed');
    expect(bad.errorMessage).toMatch(/Record 3 cannot be imported/);
    expect((await listRows(emu, gl)).length).toBe(2);
  });

  it('reads gzip-compressed CSV named .csv.gz', async () => {
    const { gzipSync } = await import('node:zlib');
    const table = await freshTable(emu);
    const done = await uploadAndWait(emu, table, {}, gzipSync('a,b\n1,2\n'), 'z.csv.gz');
    expect(done).toMatchObject({ status: 'completed', numRows: 1 });
    expect((await sendJson(emu, table)).body.numRows).toBe(1);
  });
});
