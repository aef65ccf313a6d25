// Notebook-job routes (client-libraries §3.11) with plain fetch: a run that stays `running` until stopped (the
// notebookJobs option, no sleeps), its temp uploads (simple and resumable), and PUT outputTable writing,
// appending to and replacing the notebook's output table, with every refusal leaving everything as it was.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { seededId } from '../src/store/ids.js';
import { ALICE, BOB } from './contract-helpers.js';
import { listRows, send, sendInTwoChunks, sendJson, variables } from './uploads/helpers.js';

const WF = 'demo_admin.weather_analysis';
let emu: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({
    seed: 'demo',
    seedRows: 10,
    notebookJobs: { queuedMs: 0, runningMs: Infinity },
  });
  dir = await mkdtemp(join(tmpdir(), 'redivis-emulator-notebook-jobs-'));
});
afterAll(async () => {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;

/** A fresh notebook of the seeded workflow (no endpoint creates notebooks); returns its path. */
async function freshNotebook(): Promise<{ path: string; outputName: string }> {
  counter++;
  const id = `nb_${counter}`;
  const t = emu.ctx.now();
  await emu.ctx.db.run('INSERT INTO wf_nodes VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?)', [
    id,
    seededId('workflow:weather_analysis'),
    'notebook',
    `nb${counter}`,
    `notebook ${counter}`,
    `notebook_${counter}_output`,
    t,
    t,
  ]);
  return {
    path: `/notebooks/${encodeURIComponent(`${WF}.notebook_${counter}`)}`,
    outputName: `notebook_${counter}_output`,
  };
}

/** Runs a fresh notebook; its job is `running` as soon as the run answers (queuedMs: 0). */
async function runningJob(): Promise<{ notebook: string; jobId: string; outputName: string }> {
  const { path: notebook, outputName } = await freshNotebook();
  const run = await sendJson(emu, `${notebook}/run`, { method: 'POST' });
  expect(run.status, JSON.stringify(run.body)).toBe(200);
  expect(run.body.currentJob.status).toBe('running');
  return { notebook, jobId: run.body.currentJob.id, outputName };
}

let files = 0;
/** A Parquet file written by DuckDB from a SELECT. */
async function parquet(select: string): Promise<Uint8Array> {
  const path = join(dir, `f${++files}.parquet`);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  conn.closeSync();
  db.closeSync();
  return new Uint8Array(await readFile(path));
}

/** A complete simple temp upload of the job holding `bytes`; returns its id. */
async function tempUpload(jobId: string, bytes: Uint8Array): Promise<string> {
  const r = await sendJson(emu, `/notebookJobs/${jobId}/tempUploads`, {
    json: { tempUploads: [{ size: bytes.length, resumable: false }] },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const [slot] = r.body.results;
  expect(slot).toMatchObject({ kind: 'tempUpload', size: String(bytes.length), resumable: false });
  const put = await send(emu, slot.url, { method: 'PUT', body: bytes });
  expect(put.status).toBe(200);
  return slot.id;
}

function putOutput(jobId: string, body: Record<string, unknown>, token?: string) {
  return sendJson(emu, `/notebookJobs/${jobId}/outputTable`, { method: 'PUT', json: body, token });
}

const tablePath = (t: { qualifiedReference: string }) =>
  `/tables/${encodeURIComponent(t.qualifiedReference)}`;

describe('PUT /notebookJobs/:id/outputTable', () => {
  it('creates the output table with exact rows, appends to it and replaces it', async () => {
    const { notebook, jobId } = await runningJob();
    const first = await tempUpload(
      jobId,
      await parquet(`SELECT * FROM (VALUES (1::BIGINT, 'a', 'POINT(1 2)'), (2, NULL, NULL)) t(id, s, g)`),
    );
    // The Python client sends every key, nulls included.
    const created = await putOutput(jobId, {
      name: 'results',
      append: false,
      geographyVariables: ['g'],
      tempUploadId: first,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toMatchObject({ kind: 'table', name: 'results', numRows: 2 });
    const table = tablePath(created.body);
    expect(await variables(emu, table)).toEqual(['id:integer', 's:string', 'g:geography']);
    expect(await listRows(emu, table)).toEqual([
      ['1', 'a', 'POINT(1 2)'],
      ['2', null, null],
    ]);
    expect((await sendJson(emu, notebook)).body.outputTable).toMatchObject({ name: 'results', numRows: 2 });

    const more = await tempUpload(jobId, await parquet(`SELECT 3::BIGINT AS id, 'c' AS s, 4.5 AS x`));
    // R sends append as the string "TRUE" and leaves out nulls and the name (the output keeps its name).
    const appended = await putOutput(jobId, { append: 'TRUE', tempUploadId: more });
    expect(appended.status, JSON.stringify(appended.body)).toBe(200);
    expect(appended.body).toMatchObject({ name: 'results', numRows: 3, uri: created.body.uri });
    expect(await listRows(emu, table)).toEqual([
      ['1', 'a', 'POINT(1 2)', null],
      ['2', null, null, null],
      ['3', 'c', null, '4.5'],
    ]);

    const replacement = await tempUpload(jobId, await parquet(`SELECT 'z' AS only`));
    const replaced = await putOutput(jobId, {
      name: null,
      append: false,
      geographyVariables: null,
      tempUploadId: replacement,
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body).toMatchObject({ name: 'results', numRows: 1, uri: created.body.uri });
    expect(await variables(emu, table)).toEqual(['only:string']);
    expect(await listRows(emu, table)).toEqual([['z']]);
    // A temp upload makes one output table: it is gone once used.
    expect((await putOutput(jobId, { tempUploadId: replacement })).status).toBe(400);
  });

  it('takes bytes sent through a resumable slot in chunks', async () => {
    const { jobId } = await runningJob();
    const bytes = await parquet('SELECT range AS n, range * 2 AS twice FROM range(20000)');
    const r = await sendJson(emu, `/notebookJobs/${jobId}/tempUploads`, {
      json: { tempUploads: [{ size: bytes.length, resumable: true }] },
    });
    const [slot] = r.body.results;
    await sendInTwoChunks(emu, slot.url, bytes);
    const out = await putOutput(jobId, { name: 'counts', append: false, tempUploadId: slot.id });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body).toMatchObject({ numRows: 20000 });
    const rows = await listRows(emu, tablePath(out.body));
    expect(rows).toHaveLength(20000);
    expect(rows[19999]).toEqual(['19999', '39998']);
  });

  it('refuses bad data, bad geography and taken names, and loses nothing', async () => {
    const { notebook, jobId, outputName } = await runningJob();
    const notParquet = await tempUpload(jobId, new TextEncoder().encode('a,b\n1,2\n'));
    const bad = await putOutput(jobId, { tempUploadId: notParquet });
    expect(bad.status).toBe(400);
    expect(bad.body.error_description).toMatch(/not a readable Parquet file/);
    expect(bad.body.error_description).not.toContain(emu.ctx.dataDir);

    const good = await tempUpload(jobId, await parquet(`SELECT 'not wkt' AS g, 1 AS n`));
    const wkt = await putOutput(jobId, { tempUploadId: good, geographyVariables: ['g'] });
    expect(wkt.status).toBe(400);
    expect(wkt.body.error_description).toMatch(/"g" holds values that are not WKT/);
    const unknown = await putOutput(jobId, { tempUploadId: good, geographyVariables: ['nope'] });
    expect(unknown.status).toBe(400);
    const taken = await putOutput(jobId, { tempUploadId: good, name: 'station_counts' });
    expect(taken.status).toBe(409);
    for (const body of [{ tempUploadId: good, append: 'maybe' }, { tempUploadId: good, name: 5 }, {}]) {
      expect((await putOutput(jobId, body)).status).toBe(400);
    }
    expect((await sendJson(emu, notebook)).body.outputTable).toBeNull();
    // Every refusal left the slot whole: it still makes the table.
    const ok = await putOutput(jobId, { tempUploadId: good });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ name: outputName, numRows: 1 });
  });

  it('answers only a running job of a notebook the caller may edit', async () => {
    const { notebook, jobId } = await runningJob();
    const slot = await tempUpload(jobId, await parquet('SELECT 1 AS n'));
    const other = await runningJob();
    expect((await putOutput(other.jobId, { tempUploadId: slot })).status).toBe(400);
    expect((await putOutput(jobId, { tempUploadId: slot }, ALICE)).status).toBe(403);
    expect((await putOutput(jobId, { tempUploadId: slot }, BOB)).body.error).toBe('insufficient_scope');
    expect((await putOutput(jobId, { tempUploadId: slot }, null as never)).status).toBe(401);
    expect((await putOutput('nb1-zzzzzzzzz', { tempUploadId: slot })).status).toBe(404);
    expect((await putOutput('NB1-Zzz', { tempUploadId: slot })).status).toBe(404);

    expect((await sendJson(emu, `${notebook}/stop`, { method: 'POST' })).status).toBe(200);
    const stopped = await putOutput(jobId, { tempUploadId: slot });
    expect(stopped.status).toBe(400);
    expect(stopped.body.error_description).toMatch(/is cancelled: only a running notebook job/);
    const slots = await sendJson(emu, `/notebookJobs/${jobId}/tempUploads`, {
      json: { tempUploads: [{ size: 1, resumable: false }] },
    });
    expect(slots.status).toBe(400);
    expect((await sendJson(emu, notebook)).body.outputTable).toBeNull();
  });

  it('checks the notebookJobs timings', async () => {
    await expect(startEmulator({ notebookJobs: { queuedMs: -1 } })).rejects.toThrow(RangeError);
    await expect(startEmulator({ notebookJobs: { queuedMs: Infinity } })).rejects.toThrow(RangeError);
    await expect(startEmulator({ notebookJobs: { runningMs: 1.5 } })).rejects.toThrow(RangeError);
  });
});
