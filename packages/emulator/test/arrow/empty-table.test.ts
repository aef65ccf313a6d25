import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { apiClient } from '../helpers/api.js';

/** A complete Arrow IPC stream ends with the end-of-stream marker (continuation token, zero length). */
function endsWithEos(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(-8)).equals(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
}

const ADMIN = 'rdv_demo_admin_token';
let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10 });
  api = apiClient(emu.url);
  expect(
    (await api('/organizations/demo/datasets', { token: ADMIN, json: { name: 'empty_one' } })).status,
  ).toBe(201);
  expect(
    (await api('/datasets/demo.empty_one:next/tables', { token: ADMIN, json: { name: 't' } })).status,
  ).toBe(201);
});
afterAll(() => emu.stop());

// Found by the chaos suite: a table whose only upload failed has no variables, and reading it sent an empty 200.
describe('a table without variables', () => {
  it('reads through a read stream as an Arrow stream of no columns and no rows', async () => {
    const session = await api('/tables/demo.empty_one:next.t/readSessions', {
      token: ADMIN,
      json: { requestedStreamCount: 1, format: 'arrow' },
    });
    expect(session.status).toBe(200);
    for (const stream of session.body.streams) {
      const res = await api(`/readStreams/${stream.id}`, { token: ADMIN });
      expect(res.status).toBe(200);
      expect(endsWithEos(res.bytes)).toBe(true);
      const table = tableFromIPC(res.bytes);
      expect([table.numCols, table.numRows]).toEqual([0, 0]);
    }
  });

  it('reads through rows?format=arrow the same way', async () => {
    const res = await api('/tables/demo.empty_one:next.t/rows?format=arrow', { token: ADMIN });
    expect(res.status).toBe(200);
    expect(endsWithEos(res.bytes)).toBe(true);
    const table = tableFromIPC(res.bytes);
    expect([table.numCols, table.numRows]).toEqual([0, 0]);
  });
});
