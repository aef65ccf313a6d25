import { ServerError } from '@redivis-ts/core';
import type { RunningEmulator } from '@redivis-ts/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redivis } from '../src/index.js';
import { newDatasetTable, startWriteEnv } from './helpers.js';

// A 429 is a refusal before any work, so core sends even a POST again; a 503 may come after the work, so a POST
// under it is not retried. Checked against the emulator's fault injection: what the POSTs created is counted.
let emu: RunningEmulator;
let redivis: Redivis;
beforeAll(async () => {
  ({ emu, redivis } = await startWriteEnv({ seedRows: 10, faults: { enabled: true } }));
});
afterAll(() => emu?.stop());

const freshTable = async () => (await newDatasetTable(redivis, 'post_retry')).table;

async function arm(rule: Record<string, unknown>) {
  await redivis.request({
    path: '/users/demo_admin',
    headers: { 'X-Redivis-Emulator-Fault': JSON.stringify({ retryAfterSec: 0, ...rule }) },
  });
}

const faulted = (route: RegExp) =>
  emu.ctx.faults.applied.filter((f) => route.test(f.path) && f.faults.status !== undefined).length;

describe('POST under an injected status', () => {
  it('a multipart upload of ~800 KB refused twice with 429 is sent again and creates one upload', async () => {
    const table = await freshTable();
    const rows = Array.from({ length: 34_000 }, (_, i) => `${i},"row ${i}, comma"`);
    const csv = `id,s\n${rows.join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(800_000);
    expect(csv.length).toBeLessThan(1024 * 1024); // one multipart POST, not a temp upload
    const before = faulted(/\/uploads$/);
    await arm({ route: 'POST /tables/*/uploads', status: 429, times: 2 });
    const upload = await table.upload('data.csv').create(csv, { type: 'delimited' });
    expect(upload.properties?.status).toBe('completed');
    expect(faulted(/\/uploads$/) - before).toBe(2);
    expect((await table.listUploads()).map((u) => u.name)).toEqual(['data.csv']);
    expect((await table.get()).properties?.numRows).toBe(34_000);
  });

  it('a query refused with 429 is created once and returns its rows', async () => {
    const before = faulted(/^\/queries$/);
    await arm({ route: 'POST /queries', status: 429, times: 2 });
    const rows = await redivis.query('SELECT 1 AS one UNION ALL SELECT 2').listRows({ int64: 'number' });
    expect(rows.map((r) => r.one).sort()).toEqual([1, 2]);
    expect(faulted(/^\/queries$/) - before).toBe(2);
  });

  it('a POST answered 503 is not sent again: a ServerError, and nothing created', async () => {
    const table = await freshTable();
    const before = faulted(/\/uploads$/);
    await arm({ route: 'POST /tables/*/uploads', status: 503, times: 1 });
    const error = await table
      .upload('data.csv')
      .create('id\n1\n', { type: 'delimited' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(faulted(/\/uploads$/) - before).toBe(1);
    expect(await table.listUploads()).toEqual([]);
  });
});
