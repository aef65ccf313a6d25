import type { RunningEmulator } from '@redivis-ts/emulator';
import { UploadFailedError, UploadUsageError } from '@redivis-ts/upload';
import {
  DateDay,
  Int64,
  makeData,
  makeVector,
  Table as ArrowTable,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redivis } from '../src/index.js';
import { newDatasetTable, startWriteEnv } from './helpers.js';

let emu: RunningEmulator;
let redivis: Redivis;
beforeAll(async () => {
  ({ emu, redivis } = await startWriteEnv({
    seedRows: 20,
    // Cut the first three resumable chunks part-way: the client must resume at the committed offset.
    faults: { rules: [{ route: 'PUT /tempUploads/*', cutUploadChunkAfterBytes: 100_000, times: 3 }] },
  }));
});
afterAll(() => emu?.stop());

const freshTable = (name = 't') => newDatasetTable(redivis, 'uploads', name);

describe('upload.create() against the emulator', () => {
  it('the Python sequence: create dataset → table → upload CSV → release → read back', async () => {
    const { dataset, table } = await freshTable();
    const upload = await table.upload('data.csv').create('id,name\n1,a\n2,b\n3,\n', { type: 'delimited' });
    expect(upload.properties?.status).toBe('completed');
    await dataset.release();
    const rows = await redivis.table(`demo_admin.${dataset.name}.t`).listRows({ int64: 'bigint' });
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      [1n, 'a'],
      [2n, 'b'],
      [3n, null],
    ]);
  });

  it('an Arrow table goes as Parquet with exact types: int64 beyond 2^53, dates, µs timestamps, nulls', async () => {
    const { table } = await freshTable();
    const arrow = new ArrowTable({
      big: vectorFromArray([9_007_199_254_740_993n, null], new Int64()),
      day: vectorFromArray([new Date(Date.UTC(1969, 11, 31)), null], new DateDay()),
      at: makeVector(
        makeData({
          type: new TimestampMicrosecond(),
          length: 2,
          nullCount: 1,
          data: BigInt64Array.from([1_600_000_000_123_456n, 0n]),
          nullBitmap: Uint8Array.from([0b01]),
        }),
      ),
      s: vectorFromArray(['x', null], new Utf8()),
    });
    await table.upload('frame').create(arrow);
    const variables = await table.listVariables();
    expect(Object.fromEntries(variables.map((v) => [v.name, v.properties?.type]))).toEqual({
      big: 'integer',
      day: 'date',
      at: 'dateTime',
      s: 'string',
    });
    const rows = await table.listRows({ int64: 'bigint' });
    expect(rows[0]?.big).toBe(9_007_199_254_740_993n);
    expect(rows[1]).toEqual({ big: null, day: null, at: null, s: null });
    const arrowBack = await table.toArrowTable();
    expect(arrowBack.getChild('at')?.type.toString()).toMatch(/Timestamp/);
  });

  it('bad input → typed errors, and the table is unchanged', async () => {
    const { dataset, table } = await freshTable();
    await table.upload('good.csv').create('x\n1\n');
    // Unknown type: refused by the server before anything is imported.
    await expect(table.upload('u').create('x\n2\n', { type: 'nonsense' as never })).rejects.toMatchObject({
      status: 400,
    });
    // A malformed file: the import fails with the server's message; removeOnFail deletes the upload.
    const failed = await table
      .upload('bad.parquet')
      .create('this is not parquet', { type: 'parquet', removeOnFail: true })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(UploadFailedError);
    expect((failed as UploadFailedError).message).toMatch(/bad\.parquet|parquet/i);
    expect(await table.upload('bad.parquet').exists()).toBe(false);
    // Tabular data that cannot be encoded never reaches the server.
    await expect(table.upload('mixed').create([{ a: 1 }, { a: 'x' }])).rejects.toBeInstanceOf(
      UploadUsageError,
    );
    expect((await table.listRows({ int64: 'bigint' })).map((r) => r.x)).toEqual([1n]);
    // A released version takes no uploads.
    await dataset.release();
    const released = redivis.table(`demo_admin.${dataset.name}.t`);
    await expect(released.upload('late.csv').create('x\n9\n')).rejects.toMatchObject({ status: 400 });
    expect((await released.listRows({ int64: 'bigint' })).map((r) => r.x)).toEqual([1n]);
  });
});
