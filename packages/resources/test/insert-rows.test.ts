import { isRedivisError } from '@redivis-ts/core';
import type { RunningEmulator } from '@redivis-ts/emulator';
import { UploadUsageError } from '@redivis-ts/upload';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redivis } from '../src/index.js';
import { newDatasetTable, startWriteEnv } from './helpers.js';

let emu: RunningEmulator;
let redivis: Redivis;
beforeAll(async () => {
  ({ emu, redivis } = await startWriteEnv({ seedRows: 10, faults: { enabled: true } }));
});
afterAll(() => emu?.stop());

const SCHEMA = [
  { name: 'id', type: 'integer' },
  { name: 's', type: 'string' },
  { name: 'f', type: 'float' },
  { name: 'b', type: 'boolean' },
  { name: 'd', type: 'date' },
  { name: 'at', type: 'dateTime' },
  { name: 't', type: 'time' },
];

async function streamUpload() {
  const { dataset, table } = await newDatasetTable(redivis, 'rows');
  const upload = await table.upload('live').create(undefined, { type: 'stream', schema: SCHEMA });
  return { dataset, table, upload };
}

describe('upload.insertRows() against the emulator', () => {
  it('stream upload: typed rows go in exactly (int64 beyond 2^53, Date, nulls) and read back row for row', async () => {
    const { table, upload } = await streamUpload();
    expect(upload.properties?.type).toBe('stream');
    const result = await upload.insertRows([
      {
        id: 9_007_199_254_740_993n,
        s: 'héllo "quoted"',
        f: 1.5,
        b: true,
        d: '1969-12-31',
        at: new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 123)),
        t: '12:34:56',
      },
      { id: -1, s: null, f: null, b: null, d: null, at: null, t: null },
    ]);
    expect(result).toEqual({ rowsAdded: 2, rowsSkipped: 0, batches: 1 });
    const variables = await table.listVariables();
    expect(Object.fromEntries(variables.map((v) => [v.name, v.properties?.type]))).toEqual(
      Object.fromEntries(SCHEMA.map((v) => [v.name, v.type])),
    );
    const rows = await table.listRows({ int64: 'bigint' });
    expect(rows).toEqual([
      {
        id: 9_007_199_254_740_993n,
        s: 'héllo "quoted"',
        f: 1.5,
        b: true,
        d: '1969-12-31',
        at: '2024-02-29T23:59:58.123000',
        t: '12:34:56.000000',
      },
      { id: -1n, s: null, f: null, b: null, d: null, at: null, t: null },
    ]);
  });

  it('rows from an async iterable go in batches, each retried after a transient 503, none twice', async () => {
    const { table, upload } = await streamUpload();
    // The emulator answers the second batch with 503 twice before accepting it.
    await redivis.request({
      path: '/users/demo_admin',
      headers: {
        'X-Redivis-Emulator-Fault': JSON.stringify({
          route: 'POST /tables/**/rows',
          status: 503,
          retryAfterSec: 0,
          times: 2,
        }),
      },
    });
    async function* produce() {
      for (let i = 0; i < 1_234; i++) {
        if (i % 300 === 0) await new Promise((r) => setTimeout(r, 1));
        yield { id: i, s: `row ${i}` };
      }
    }
    const sent: number[] = [];
    const result = await upload.insertRows(produce(), { batchRows: 500, onProgress: (r) => sent.push(r) });
    expect(result).toEqual({ rowsAdded: 1_234, rowsSkipped: 0, batches: 3 });
    expect(sent).toEqual([500, 1_000, 1_234]);
    expect(emu.ctx.faults.applied.filter((f) => f.path.endsWith('/rows'))).toHaveLength(2);
    const ids = (await table.listRows({ variables: ['id'] })).map((r) => r.id);
    expect(ids).toHaveLength(1_234);
    expect(new Set(ids).size).toBe(1_234);
  });

  it('batches close at batchBytes too', async () => {
    const { table, upload } = await streamUpload();
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, s: 'x'.repeat(1_000) }));
    const result = await upload.insertRows(rows, { batchBytes: 10_000 });
    expect(result.batches).toBe(5);
    expect((await table.get()).properties?.numRows).toBe(40);
  });

  it('a bad row is a typed 400 and adds nothing; misuse is refused before any request', async () => {
    const { table, upload } = await streamUpload();
    await upload.insertRows([{ id: 1 }]);
    const error = await upload.insertRows([{ id: 2 }, { id: 'three' }]).catch((e: unknown) => e);
    expect(isRedivisError(error) && error.status).toBe(400);
    expect((error as Error).message).toMatch(/rows\[1\].*integer/);
    const unknown = await upload.insertRows([{ nope: 1 }]).catch((e: unknown) => e);
    expect(isRedivisError(unknown) && unknown.status).toBe(400);
    await expect(upload.insertRows([[1, 2] as never])).rejects.toBeInstanceOf(UploadUsageError);
    await expect(upload.insertRows([{ id: 3 }], { batchRows: 0 })).rejects.toBeInstanceOf(UploadUsageError);
    expect((await table.listRows({ variables: ['id'] })).map((r) => r.id)).toEqual([1]);
  });

  it('a file upload takes no rows', async () => {
    const { table } = await streamUpload();
    const file = await table.upload('f.csv').create('id\n1\n');
    const error = await file.insertRows([{ id: 2 }]).catch((e: unknown) => e);
    expect(isRedivisError(error) && error.status).toBe(400);
  });
});
