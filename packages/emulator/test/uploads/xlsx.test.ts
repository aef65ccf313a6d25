import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import {
  arrowRows,
  clientMetadata,
  freshTable,
  multipart,
  sendJson,
  uploadAndWait,
  variables,
} from './helpers.js';

// xlsx uploads round-tripped row for row: workbooks written with exceljs, uploaded as the clients send them,
// read back through a read session (exact Arrow types).

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10 });
});
afterAll(() => emu.stop());

async function workbook(rows: unknown[][], extraSheet = false): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  for (const r of rows) ws.addRow(r);
  if (extraSheet) wb.addWorksheet('other').addRow(['ignored']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('xlsx uploads', () => {
  it('imports the first sheet with header names and inferred types, row for row', async () => {
    const table = await freshTable(emu);
    const bytes = await workbook(
      [
        ['id', 'name', 'score', 'ok', 'day', 'at', 'mixed', 'sum'],
        [
          1,
          'ada',
          1.5,
          true,
          new Date(Date.UTC(2024, 0, 2)),
          new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
          7,
          { formula: 'A2+1', result: 2 },
        ],
        [
          2,
          { richText: [{ text: 'gr' }, { text: 'ace' }] },
          2,
          false,
          new Date(Date.UTC(1999, 11, 31)),
          null,
          'x',
          { formula: 'A3+1', result: 3 },
        ],
        [
          3,
          null,
          null,
          null,
          null,
          new Date(Date.UTC(2000, 1, 29, 23, 59, 59, 250)),
          null,
          { formula: 'A4+1', result: 4 },
        ],
      ],
      true,
    );
    const done = await uploadAndWait(emu, table, { name: 'sheet.xlsx' }, bytes, 'sheet.xlsx');
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'completed', numRows: 3, type: 'xlsx' });
    expect(await variables(emu, table)).toEqual([
      'id:integer',
      'name:string',
      'score:float',
      'ok:boolean',
      'day:date',
      'at:dateTime',
      'mixed:string',
      'sum:integer',
    ]);
    const rows = await arrowRows(emu, table);
    expect(rows.map((r) => [r.id, r.name, r.score, r.ok, r.mixed, r.sum])).toEqual([
      [1n, 'ada', 1.5, true, '7', 2n],
      [2n, 'grace', 2, false, 'x', 3n],
      [3n, null, null, null, null, 4n],
    ]);
    expect(
      rows.map((r) => (r.day === null ? null : new Date(r.day as number).toISOString().slice(0, 10))),
    ).toEqual(['2024-01-02', '1999-12-31', null]);
    expect(rows.map((r) => (r.at === null ? null : new Date(Number(r.at)).toISOString()))).toEqual([
      '2024-01-02T03:04:05.000Z',
      null,
      '2000-02-29T23:59:59.250Z',
    ]);
  });

  it('names columns column0… without a header row, and detects .xlsx from the name', async () => {
    const table = await freshTable(emu);
    const bytes = await workbook([
      [10, 'a'],
      [20, 'b', 'extra'],
    ]);
    const done = await uploadAndWait(emu, table, { hasHeaderRow: false }, bytes, 'plain.xlsx');
    expect(done).toMatchObject({ status: 'completed', numRows: 2, type: 'xlsx' });
    expect(await variables(emu, table)).toEqual(['column0:integer', 'column1:string', 'column2:string']);
    expect((await arrowRows(emu, table)).map((r) => [r.column0, r.column1, r.column2])).toEqual([
      [10n, 'a', null],
      [20n, 'b', 'extra'],
    ]);
  });

  it('fails a file that is not a workbook with the reason, and refuses legacy .xls with a 400 naming it', async () => {
    const table = await freshTable(emu);
    const bad = await uploadAndWait(emu, table, {}, 'not,a,zip\n', 'broken.xlsx');
    expect(bad.status).toBe('failed');
    expect(bad.errorMessage).toBeTruthy();
    expect((await sendJson(emu, table)).body.numRows).toBe(0);
    const xls = await sendJson(emu, `${table}/uploads`, {
      body: multipart(clientMetadata(), new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]), 'old.xls'),
    });
    expect(xls.status).toBe(400);
    expect(xls.body.error_description).toMatch(
      /"xls" \(legacy Excel\) are not supported by the emulator.*\.xlsx or CSV/,
    );
  });
});
