import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { seededId } from '../../src/store/ids.js';
import { ALICE, BOB } from '../contract-helpers.js';
import { arrowRows, freshTable, sendJson, uploadAndWait } from './helpers.js';

// POST /uploads/:uploadReference/readSessions (the path the readSessions page documents; the clients post to the
// table-nested upload URI): same session, same rows and same access rules as the nested path.

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10, rateLimit: false });
});
afterAll(() => emu.stop());

const session = (ref: string, token?: string | null) =>
  sendJson(emu, `/uploads/${encodeURIComponent(ref)}/readSessions`, { json: { format: 'arrow' }, token });

describe('POST /uploads/:uploadReference/readSessions', () => {
  it('reads the rows an upload imported, by name:id and by bare id, as the nested path does', async () => {
    const table = await freshTable(emu);
    await uploadAndWait(emu, table, { name: 'first.csv' }, 'k,v\n1,a\n2,b\n', 'first.csv');
    const second = await uploadAndWait(emu, table, { name: 'second.csv' }, 'k,v\n3,c\n', 'second.csv');
    expect(second.status).toBe('completed');
    const nested = await arrowRows(emu, second.uri);
    expect(nested).toEqual([{ k: 3n, v: 'c' }]);
    expect(await arrowRows(emu, `/uploads/${encodeURIComponent(`second_csv:${second.id}`)}`)).toEqual(nested);
    expect(await arrowRows(emu, `/uploads/${encodeURIComponent(`second.csv:${second.id}`)}`)).toEqual(nested);
    expect(await arrowRows(emu, `/uploads/${second.id}`)).toEqual(nested);
    const s = await session(second.id);
    expect(s.body).toMatchObject({ kind: 'readSession', numRows: 1, format: 'arrow' });
  });

  it('is 404 for a name that does not match the id, an unknown id, or a malformed reference', async () => {
    const table = await freshTable(emu);
    const up = await uploadAndWait(emu, table, { name: 'only.csv' }, 'k\n1\n', 'only.csv');
    for (const ref of [
      `other_csv:${up.id}`,
      'only_csv:zzzzzzzzz',
      '../../etc/passwd',
      `only_csv:${up.id}'--`,
    ]) {
      const r = await session(ref);
      expect(r.status, ref).toBe(404);
      expect(r.body).toMatchObject({ error: 'not_found', status: 404 });
    }
  });

  it('decides access on the upload’s table: hidden uploads are 404, public data needs no token', async () => {
    const table = await freshTable(emu); // a private dataset's unreleased version
    const up = await uploadAndWait(emu, table, { name: 'secret.csv' }, 'k\n1\n', 'secret.csv');
    for (const token of [ALICE, BOB, null]) expect((await session(up.id, token)).status).toBe(404);
    const iris = `iris_csv:${seededId('upload:iris.csv')}`;
    const anonymous = await session(iris, null);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.numRows).toBe(150);
  });

  it('refuses an upload that did not complete', async () => {
    const table = await freshTable(emu);
    const bad = await uploadAndWait(
      emu,
      table,
      { name: 'bad.parquet', type: 'parquet' },
      'not parquet',
      'bad.parquet',
    );
    expect(bad.status).toBe('failed');
    const r = await session(`bad_parquet:${bad.id}`);
    expect(r.status).toBe(400);
    expect(r.body.error_description).toMatch(/has not completed \(status failed\)/);
  });
});
