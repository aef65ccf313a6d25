import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { storageTable } from '../../src/store/schema.js';
import { INTERRUPTED_MESSAGE } from '../../src/store/uploads.js';
import {
  clientMetadata,
  freshTable,
  listRows,
  multipart,
  sendJson,
  uploadAndWait,
  waitForUpload,
} from './helpers.js';

let dir: string;
let emu: RunningEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-emulator-atomic-'));
  emu = await startEmulator({ dataDir: dir, seed: 'demo', seedRows: 10 });
});
afterAll(async () => {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

function rowsOf(tag: string, n: number): string {
  const lines = ['tag,i'];
  for (let i = 0; i < n; i++) lines.push(`${tag},${i}`);
  return `${lines.join('\n')}\n`;
}

describe('upload atomicity', () => {
  it('never interleaves the rows of concurrent uploads to one table', async () => {
    const table = await freshTable(emu);
    const posted = await Promise.all(
      ['a', 'b', 'c'].map((tag) =>
        sendJson(emu, `${table}/uploads`, {
          body: multipart(clientMetadata(), rowsOf(tag, 3000), `${tag}.csv`),
        }),
      ),
    );
    for (const p of posted) expect(p.status).toBe(201);
    for (const p of posted) expect((await waitForUpload(emu, p.body.uri)).status).toBe('completed');
    const tags = (await listRows(emu, table)).map((r) => r[0]);
    expect(tags).toHaveLength(9000);
    const runs = tags.filter((t, i) => i === 0 || t !== tags[i - 1]);
    expect(runs.sort()).toEqual(['a', 'b', 'c']);
  });

  it('replace swaps the previous version\u2019s rows only when the upload succeeds; later uploads stack', async () => {
    const table = await freshTable(emu, 'replace');
    await uploadAndWait(emu, table, {}, rowsOf('v1', 3), 'v1.csv');
    const dataset = decodeURIComponent(table)
      .replace('/tables/', '')
      .replace(/\.target$/, '');
    const base = dataset.replace(/:next$/, '');
    expect(
      (await sendJson(emu, `/datasets/${encodeURIComponent(dataset)}/versions/next/release`, { json: {} }))
        .status,
    ).toBe(200);
    expect(
      (await sendJson(emu, `/datasets/${encodeURIComponent(base)}/versions`, { method: 'POST' })).status,
    ).toBe(201);
    const v1Rows = await listRows(emu, table);
    expect(v1Rows).toHaveLength(3);
    const schema = [
      { name: 'tag', type: 'string' },
      { name: 'i', type: 'integer' },
    ];
    const broken = await uploadAndWait(emu, table, { schema }, 'tag,i\nx,nope\n', 'broken.csv');
    expect(broken.status).toBe('failed');
    expect(await listRows(emu, table)).toEqual(v1Rows);
    expect((await uploadAndWait(emu, table, {}, rowsOf('v2', 2), 'v2.csv')).status).toBe('completed');
    expect(await listRows(emu, table)).toEqual([
      ['v2', '0'],
      ['v2', '1'],
    ]);
    expect((await uploadAndWait(emu, table, {}, rowsOf('v3', 1), 'v3.csv')).status).toBe('completed');
    expect((await listRows(emu, table)).map((r) => r[0])).toEqual(['v2', 'v2', 'v3']);
    const released = await listRows(emu, `/tables/${encodeURIComponent(`${base}:v1_0.target`)}`);
    expect(released).toEqual(v1Rows);
  });

  it('leaves an upload interrupted mid-processing failed after a restart, with its half-built rows gone', async () => {
    const table = await freshTable(emu);
    await uploadAndWait(emu, table, {}, rowsOf('kept', 2), 'kept.csv');
    const tableId = (await sendJson(emu, table)).body.id as string;
    const at = Date.now();
    // The state a crash leaves: an upload marked running whose staging table was half written.
    await emu.ctx.db.run(`CREATE TABLE ${storageTable('u_crashed')} AS SELECT 'half' AS tag, 1 AS i`);
    await emu.ctx.db.run(
      `INSERT INTO uploads (id, table_id, name, type, status, storage, size, created_at, updated_at, options)
       VALUES ('crashed', ?, 'crash.csv', 'delimited', 'running', 'u_crashed', 10, ?, ?, '{}')`,
      [tableId, at, at],
    );
    await emu.stop();
    emu = await startEmulator({ dataDir: dir, seed: 'demo', seedRows: 10 });
    const upload = await sendJson(emu, `${table}/uploads/crash_csv`);
    expect(upload.body).toMatchObject({ status: 'failed', errorMessage: INTERRUPTED_MESSAGE, numRows: 0 });
    expect((await listRows(emu, table)).map((r) => r[0])).toEqual(['kept', 'kept']);
    const staging = await emu.ctx.db.all("SELECT * FROM duckdb_tables() WHERE table_name = 'u_crashed'");
    expect(staging).toEqual([]);
  }, 120_000);
});
