import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { clientMetadata, freshTable, listRows, send, sendJson, uploadAndWait, variables } from './helpers.js';

// DELETE {table}/uploads/:name (spec §5.9.3): the table's data is the stack of its uploads, so the rows an upload
// added leave with it. The spec is silent on the rows; this is the choice documented in the README.

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10 });
});
afterAll(() => emu.stop());

const del = (table: string, name: string) => send(emu, `${table}/uploads/${name}`, { method: 'DELETE' });
const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();

describe('deleting an upload', () => {
  it('removes exactly the rows it added, even rows equal to another upload’s, keeping the others in order', async () => {
    const table = await freshTable(emu);
    await uploadAndWait(emu, table, { name: 'a.csv' }, 'k,v\n1,x\n2,y\n2,y\n3,\n', 'a.csv');
    // b repeats a row of a, adds a variable and widens k to float.
    await uploadAndWait(emu, table, { name: 'b.csv' }, 'k,v,w\n2,y,\n4.5,z,true\n', 'b.csv');
    await uploadAndWait(emu, table, { name: 'c.csv' }, 'k,v\n9,q\n', 'c.csv');
    expect(await listRows(emu, table)).toHaveLength(7);
    // The table took a.csv's staged rows as its storage; later uploads copied them first, so a's rows are its own.
    const aRows = await send(emu, `${table}/uploads/a.csv/rows`);
    expect((await aRows.text()).trim().split('\n')).toHaveLength(4);
    const res = await del(table, 'a.csv');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
    expect(await listRows(emu, table)).toEqual([
      ['2.0', 'y', null],
      ['4.5', 'z', 'true'],
      ['9.0', 'q', null],
    ]);
    const t = await sendJson(emu, table);
    expect(t.body.numRows).toBe(3);
    // Variables stay as merging left them (the upload's own variables are not dropped).
    expect(await variables(emu, table)).toEqual(['k:float', 'v:string', 'w:boolean']);
    expect((await sendJson(emu, `${table}/uploads/a.csv`)).status).toBe(404);
    expect((await del(table, 'b.csv')).status).toBe(200);
    expect(await listRows(emu, table)).toEqual([['9.0', 'q', null]]);
  });

  it('removes the rows a stream upload received through insertRows', async () => {
    const table = await freshTable(emu);
    await uploadAndWait(emu, table, { name: 'base.csv' }, 'n,s\n1,a\n', 'base.csv');
    const stream = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({
        name: 'live',
        type: 'stream',
        schema: [
          { name: 'n', type: 'integer' },
          { name: 's', type: 'string' },
        ],
      }),
    });
    expect(stream.status).toBe(201);
    const inserted = await sendJson(emu, `${stream.body.uri}/rows`, {
      json: {
        rows: [
          { n: 1, s: 'a' },
          { n: 2, s: null },
        ],
      },
    });
    expect(inserted.status).toBe(201);
    expect(sorted(await listRows(emu, table))).toEqual(
      sorted([
        ['1', 'a'],
        ['1', 'a'],
        ['2', null],
      ]),
    );
    expect((await del(table, 'live')).status).toBe(200);
    expect(await listRows(emu, table)).toEqual([['1', 'a']]);
  });

  it('deleting a failed upload changes no rows; released versions refuse deletion (400) and keep everything', async () => {
    const table = await freshTable(emu);
    await uploadAndWait(emu, table, { name: 'ok.csv' }, 'a\n1\n2\n', 'ok.csv');
    const failed = await uploadAndWait(
      emu,
      table,
      { name: 'bad.csv' },
      'a,b\n1,2,3,4\n"unterminated\n',
      'bad.csv',
    );
    expect(failed.status).toBe('failed');
    expect((await del(table, 'bad.csv')).status).toBe(200);
    expect(await listRows(emu, table)).toEqual([['1'], ['2']]);
    const iris = '/tables/demo.iris_species:v1_0.iris';
    const refused = await send(emu, `${iris}/uploads/iris.csv`, { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect((await sendJson(emu, iris)).body.numRows).toBe(150);
  });
});
