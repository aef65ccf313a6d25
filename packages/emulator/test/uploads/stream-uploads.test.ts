import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { arrowRows, clientMetadata, freshTable, listRows, sendJson, variables } from './helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10 });
});
afterAll(() => emu.stop());

const SCHEMA = [
  { name: 'id', type: 'integer' },
  { name: 'score', type: 'float' },
  { name: 'ok', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'dateTime' },
  { name: 'clock', type: 'time' },
  { name: 'place', type: 'geography' },
  { name: 'note', type: 'string' },
];

async function streamUpload(table: string, extra: Record<string, unknown> = {}) {
  const r = await sendJson(emu, `${table}/uploads`, {
    json: clientMetadata({ name: 'live', type: 'stream', schema: SCHEMA, ...extra }),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body).toMatchObject({ kind: 'upload', type: 'stream', status: 'completed', numRows: 0 });
  return r.body.uri as string;
}

describe('stream uploads and insertRows', () => {
  it('takes INT64 values beyond 2^53 as decimal strings, exactly; out of range or non-digits are a 400', async () => {
    const table = await freshTable(emu);
    const uri = await streamUpload(table);
    const big = [{ id: '9223372036854775807' }, { id: '-9007199254740993' }];
    expect((await sendJson(emu, `${uri}/rows`, { json: { rows: big } })).status).toBe(201);
    const arrow = await arrowRows(emu, table);
    expect(arrow.map((r) => r.id)).toEqual([9_223_372_036_854_775_807n, -9_007_199_254_740_993n]);
    for (const id of ['9223372036854775808', '12a', '1.5']) {
      const r = await sendJson(emu, `${uri}/rows`, { json: { rows: [{ id }] } });
      expect(r.status, id).toBe(400);
    }
    expect(await arrowRows(emu, table)).toHaveLength(2);
  });

  it('inserts typed rows into the upload and the table at once (201 insertRowsResponse)', async () => {
    const table = await freshTable(emu);
    const uri = await streamUpload(table);
    const rows = [
      {
        id: 1,
        score: 2.5,
        ok: true,
        day: '2024-05-06',
        at: '2024-05-06T07:08:09.123',
        clock: '10:11:12',
        place: 'POINT(10 20)',
        note: 'first',
      },
      { id: 2, score: null, ok: false, note: 'second' },
    ];
    const r = await sendJson(emu, `${uri}/rows`, { json: { rows } });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ kind: 'insertRowsResponse', rowsAdded: 2, rowsSkipped: 0, schemaUpdates: [] });
    expect(await variables(emu, table)).toEqual(SCHEMA.map((c) => `${c.name}:${c.type}`));
    expect(await listRows(emu, table)).toEqual([
      ['1', '2.5', 'true', '2024-05-06', '2024-05-06 07:08:09.123000', '10:11:12', 'POINT(10 20)', 'first'],
      ['2', null, 'false', null, null, null, null, 'second'],
    ]);
    const arrow = await arrowRows(emu, table);
    expect(arrow[0]).toMatchObject({ id: 1n, score: 2.5, ok: true, note: 'first', place: 'POINT(10 20)' });
    const upload = await sendJson(emu, uri);
    expect(upload.body.numRows).toBe(2);
    const uploadVars = await sendJson(emu, `${uri}/variables`);
    expect(uploadVars.body.results.map((v: { name: string; type: string }) => `${v.name}:${v.type}`)).toEqual(
      SCHEMA.map((c) => `${c.name}:${c.type}`),
    );
  });

  it('refuses a row that does not fit (all or nothing) and reports schema updates with updateVariables', async () => {
    const table = await freshTable(emu);
    const uri = await streamUpload(table);
    const wrong = await sendJson(emu, `${uri}/rows`, { json: { rows: [{ id: 1 }, { id: 'two' }] } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error_description).toBe('rows[1]: "id" must be a integer value');
    const unknown = await sendJson(emu, `${uri}/rows`, { json: { rows: [{ id: 1, extra: 'x' }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_description).toMatch(/unknown variable "extra"/);
    expect(await listRows(emu, table)).toEqual([]);
    const widened = await sendJson(emu, `${uri}/rows`, {
      json: { rows: [{ id: 1.5, extra: 'x' }], updateVariables: true },
    });
    expect(widened.status).toBe(201);
    expect(widened.body.schemaUpdates).toEqual([
      {
        addedVariables: [{ name: 'extra', type: 'string' }],
        updatedVariables: [{ name: 'id', type: 'float', previousType: 'integer' }],
      },
    ]);
    expect(await variables(emu, table)).toContain('id:float');
    expect(await variables(emu, table)).toContain('extra:string');
  });

  it('skips and counts bad rows when the upload skips bad records', async () => {
    const table = await freshTable(emu);
    const uri = await streamUpload(table, { skipBadRecords: true });
    const r = await sendJson(emu, `${uri}/rows`, {
      json: { rows: [{ id: 1 }, 'nope', { id: 'x' }, { id: 3 }] },
    });
    expect(r.body).toMatchObject({ rowsAdded: 2, rowsSkipped: 2 });
    expect((await listRows(emu, table)).map((row) => row[0])).toEqual(['1', '3']);
  });

  it('refuses rows for non-stream uploads, bodies without rows and more than 50,000 rows', async () => {
    const table = await freshTable(emu);
    const uri = await streamUpload(table);
    expect((await sendJson(emu, `${uri}/rows`, { json: { rows: 'x' } })).status).toBe(400);
    const many = await sendJson(emu, `${uri}/rows`, {
      json: { rows: Array.from({ length: 50_001 }, () => ({})) },
    });
    expect(many.body.error_description).toMatch(/at most 50000 rows/);
    const withData = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ name: 'x', type: 'stream', schema: [{ name: 'a', type: 'text' }] }),
    });
    expect(withData.status).toBe(400);
    const iris = await sendJson(emu, '/tables/demo.iris_species.iris/uploads/iris.csv/rows', {
      json: { rows: [] },
    });
    expect(iris.status).toBe(400);
  });
});
