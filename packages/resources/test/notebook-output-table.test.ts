// notebook.createOutputTable() over real HTTP to the emulator: its notebook runs stay `running` until stopped
// (notebookJobs option), so a test plays the notebook's code deterministically, without sleeps.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestError, createTransport } from '@redivis-ts/core';
import { toParquet } from '@redivis-ts/upload';
import {
  Table as ArrowTable,
  DateDay,
  Int64,
  makeData,
  makeVector,
  TimestampMicrosecond,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createRedivis, PlatformFeatureError, ResourceUsageError, Table } from '../src/index.js';
import { startTestEnv, type TestEnv } from './helpers.js';
import { testFileSystem } from './node-fs.js';

const WF = 'demo_admin.weather_analysis';
let env: TestEnv;
let dir: string;
beforeAll(async () => {
  env = await startTestEnv({}, { notebookJobs: { queuedMs: 0, runningMs: Infinity } });
  dir = await mkdtemp(join(tmpdir(), 'redivis-output-table-'));
});
afterAll(async () => {
  await env?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The seeded notebook as the notebook's own code sees it: `REDIVIS_DEFAULT_NOTEBOOK` set, files on disk. */
function insideNotebook() {
  const client = createTransport({
    baseUrl: env.emu.url,
    apiToken: 'rdv_demo_admin_token',
    retry: { limit: 0 },
  });
  const redivis = createRedivis(client, {
    env: { REDIVIS_DEFAULT_NOTEBOOK: `${WF}.exploration` },
    fs: testFileSystem(dir),
  });
  return redivis;
}

/** Counts requests sent to the emulator through this object model. */
function counted() {
  const sent: string[] = [];
  const client = createTransport({
    baseUrl: env.emu.url,
    apiToken: 'rdv_demo_admin_token',
    retry: { limit: 0 },
    fetch: (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      sent.push(`${request.method} ${request.url}`);
      return fetch(input, init);
    },
  });
  return { redivis: createRedivis(client, {}), sent };
}

const frame = () =>
  new ArrowTable({
    id: vectorFromArray([9_007_199_254_740_993n, -1n, null], new Int64()),
    day: vectorFromArray(
      [new Date(Date.UTC(1969, 11, 31)), null, new Date(Date.UTC(2024, 1, 29))],
      new DateDay(),
    ),
    at: makeVector(
      makeData({
        type: new TimestampMicrosecond(),
        length: 3,
        nullCount: 1,
        data: BigInt64Array.from([1_600_000_000_123_456n, 0n, -1n]),
        nullBitmap: Uint8Array.from([0b101]),
      }),
    ),
    place: vectorFromArray(['POINT(1 2)', null, 'POINT(-3.5 4)'], new Utf8()),
  });

describe('notebook.createOutputTable()', () => {
  it('writes an Arrow table with exact types, appends row objects, then replaces it', async () => {
    const redivis = insideNotebook();
    const notebook = redivis.currentNotebook();
    expect(notebook).not.toBeNull();
    if (!notebook) return;
    await notebook.run({ waitForFinish: false });
    onTestFinished(() => notebook.stop().then(() => undefined));
    expect(notebook.properties?.currentJob?.status).toBe('running');

    const table = await notebook.createOutputTable(frame(), {
      name: 'results',
      geographyVariables: ['place'],
    });
    expect(table).toBeInstanceOf(Table);
    expect(table.name).toBe('results');
    const variables = await table.listVariables();
    expect(Object.fromEntries(variables.map((v) => [v.name, v.properties?.type]))).toEqual({
      id: 'integer',
      day: 'date',
      at: 'dateTime',
      place: 'geography',
    });
    const rows = await table.listRows({ int64: 'bigint' });
    expect(rows.map((r) => r.id)).toEqual([9_007_199_254_740_993n, -1n, null]);
    const iso = (v: unknown) => (v === null ? null : new Date(v as string | number | Date).toISOString());
    expect(rows.map((r) => iso(r.day))).toEqual([
      '1969-12-31T00:00:00.000Z',
      null,
      '2024-02-29T00:00:00.000Z',
    ]);
    expect(rows.map((r) => r.place)).toEqual(['POINT(1 2)', null, 'POINT(-3.5 4)']);
    const at = (await table.toArrowTable()).getChild('at');
    expect(at?.type.toString()).toMatch(/Timestamp/);
    expect(at?.get(2)).not.toBeNull();

    const appended = await notebook.createOutputTable([{ id: 7n, note: 'added' }], { append: true });
    expect(appended.name).toBe('results');
    expect(appended.uri).toBe(table.uri);
    const after = await appended.listRows({ int64: 'bigint' });
    expect(after.map((r) => [r.id, r.note])).toEqual([
      [9_007_199_254_740_993n, null],
      [-1n, null],
      [null, null],
      [7n, 'added'],
    ]);
    expect((await notebook.outputTable())?.properties?.numRows).toBe(4);

    const replaced = await notebook.createOutputTable([{ only: 'z' }]);
    expect((await replaced.listRows()).map((r) => ({ ...r }))).toEqual([{ only: 'z' }]);
    expect((await replaced.listVariables()).map((v) => v.name)).toEqual(['only']);
  });

  it('sends a .parquet path through platform.fs and refuses other files before any request', async () => {
    const redivis = insideNotebook();
    const notebook = redivis.currentNotebook();
    if (!notebook) throw new Error('no current notebook');
    await notebook.run({ waitForFinish: false });
    onTestFinished(() => notebook.stop().then(() => undefined));
    await writeFile(join(dir, 'out.parquet'), toParquet([{ n: 1n }, { n: 2n }]));
    const table = await notebook.createOutputTable('out.parquet', { name: 'from_path' });
    expect((await table.listRows({ int64: 'bigint' })).map((r) => r.n)).toEqual([1n, 2n]);
    await expect(notebook.createOutputTable('data.csv')).rejects.toBeInstanceOf(ResourceUsageError);
    await expect(notebook.createOutputTable(new TextEncoder().encode('a,b\n1,2\n'))).rejects.toBeInstanceOf(
      ResourceUsageError,
    );
    const noFs = createRedivis(
      createTransport({ baseUrl: env.emu.url, apiToken: 'rdv_demo_admin_token', retry: { limit: 0 } }),
    );
    const elsewhere = noFs.workflow(WF).notebook('exploration');
    await expect(elsewhere.createOutputTable('out.parquet')).rejects.toBeInstanceOf(PlatformFeatureError);
    // The server refuses a geography variable with values that are not WKT; the output is unchanged.
    const bad = await notebook
      .createOutputTable([{ g: 'not wkt' }], { geographyVariables: ['g'] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(BadRequestError);
    expect((await notebook.outputTable())?.name).toBe('from_path');
  });

  it('outside a running job: a typed error, and the output table is untouched', async () => {
    const { redivis, sent } = counted();
    const notebook = redivis.workflow(WF).notebook('exploration');
    const before = (await notebook.outputTable())?.properties?.numRows;
    sent.length = 0;
    await expect(notebook.createOutputTable([{ x: 1n }])).rejects.toBeInstanceOf(ResourceUsageError);
    // One GET of the notebook (its job was unknown), nothing sent to any job.
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^GET .*\/notebooks\//);

    // Properties that still name a job another process stopped: the server's 400, typed.
    await notebook.run({ waitForFinish: false });
    const stale = redivis.workflow(WF).notebook('exploration');
    await stale.get();
    await notebook.stop();
    await expect(stale.createOutputTable([{ x: 1n }])).rejects.toBeInstanceOf(BadRequestError);
    expect((await notebook.outputTable())?.properties?.numRows).toBe(before);
  });
});
