import { Readable } from 'node:stream';
import type { RunningEmulator } from '@redivis-ts/emulator';
import { toParquet, UploadUsageError } from '@redivis-ts/upload';
import { Table as ArrowTable, DateDay, Int64, tableFromArrays, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redivis } from '../src/index.js';
import { newDatasetTable, startWriteEnv } from './helpers.js';

let emu: RunningEmulator;
let redivis: Redivis;
beforeAll(async () => {
  ({ emu, redivis } = await startWriteEnv({ seedRows: 10, rateLimit: false }));
});
afterAll(() => emu?.stop());

const freshTable = async () => (await newDatasetTable(redivis, 'sources')).table;

// The same three rows in every format: an id beyond 2^53, text with a comma and quotes, a date, a null.
const EXPECTED = [
  { id: 9_007_199_254_740_993n, label: 'a, "b"', day: '2024-02-29' },
  { id: -5n, label: null, day: '1969-12-31' },
  { id: 0n, label: 'ü', day: null },
];
const CSV = 'id,label,day\n9007199254740993,"a, ""b""",2024-02-29\n-5,,1969-12-31\n0,ü,\n';
const NDJSON =
  '{"id":9007199254740993,"label":"a, \\"b\\"","day":"2024-02-29"}\n{"id":-5,"label":null,"day":"1969-12-31"}\n{"id":0,"label":"ü","day":null}\n';
const bytes = (text: string) => new TextEncoder().encode(text);
async function* chunks(text: string) {
  const all = bytes(text);
  for (let i = 0; i < all.length; i += 7) yield all.subarray(i, i + 7);
}

async function roundTrip(content: unknown, name: string, options: Record<string, unknown> = {}) {
  const table = await freshTable();
  const upload = await table.upload(name).create(content as never, options);
  expect(upload.properties?.status).toBe('completed');
  const types = Object.fromEntries((await table.listVariables()).map((v) => [v.name, v.properties?.type]));
  expect(types).toEqual({ id: 'integer', label: 'string', day: 'date' });
  return table.listRows({ int64: 'bigint' });
}

describe('every upload source and type, row for row against the emulator', () => {
  const cases: [string, () => unknown, string, Record<string, unknown>?][] = [
    ['CSV text', () => CSV, 'a.csv'],
    ['CSV bytes', () => bytes(CSV), 'b.csv'],
    ['CSV Blob', () => new Blob([CSV]), 'c.csv'],
    ['CSV web ReadableStream', () => new Blob([CSV]).stream(), 'd.csv'],
    ['CSV async iterable of chunks', () => chunks(CSV), 'e.csv'],
    ['CSV Node Readable', () => Readable.from(chunks(CSV)), 'f.csv'],
    ['NDJSON bytes', () => bytes(NDJSON), 'g.ndjson', { type: 'ndjson' }],
    [
      'Parquet bytes',
      () =>
        toParquet(
          new ArrowTable({
            id: vectorFromArray(
              EXPECTED.map((r) => r.id),
              new Int64(),
            ),
            label: vectorFromArray(
              EXPECTED.map((r) => r.label),
              new Utf8(),
            ),
            day: vectorFromArray(
              EXPECTED.map((r) => (r.day ? new Date(`${r.day}T00:00:00Z`) : null)),
              new DateDay(),
            ),
          }),
        ),
      'h.parquet',
      { type: 'parquet' },
    ],
  ];
  for (const [label, make, name, options] of cases) {
    it(label, async () => {
      const rows = await roundTrip(make(), name, options);
      expect(rows).toEqual(EXPECTED);
    });
  }

  it('an Arrow table and plain row objects go as Parquet with the same rows', async () => {
    const arrow = tableFromArrays({
      id: BigInt64Array.from([9_007_199_254_740_993n, -5n, 0n]),
      label: ['a, "b"', null, 'ü'],
    });
    const fromArrow = await freshTable();
    await fromArrow.upload('frame').create(arrow);
    const rows = await fromArrow.listRows({ int64: 'bigint' });
    expect(rows).toEqual(EXPECTED.map(({ id, label }) => ({ id, label })));
    const fromRows = await freshTable();
    await fromRows.upload('rows').create(EXPECTED.map(({ id, label }) => ({ id, label })));
    expect(await fromRows.listRows({ int64: 'bigint' })).toEqual(rows);
  });

  it('content that is none of these is refused before any request', async () => {
    const table = await freshTable();
    await expect(table.upload('x').create(42 as never)).rejects.toBeInstanceOf(UploadUsageError);
    await expect(table.upload('x').create({ not: 'content' } as never)).rejects.toBeInstanceOf(
      UploadUsageError,
    );
    expect(await table.listUploads()).toEqual([]);
  });
});
