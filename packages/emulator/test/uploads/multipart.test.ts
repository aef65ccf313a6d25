import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { ALICE, BOB } from '../contract-helpers.js';
import {
  clientMetadata,
  freshTable,
  listRows,
  multipart,
  send,
  sendJson,
  uploadAndWait,
  variables,
  waitForUpload,
} from './helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10 });
});
afterAll(() => emu.stop());

const CSV = 'id,name,score,day\n1,ann,1.5,2024-01-02\n2,bob,,2024-02-03\n3,"c, d",3,2024-03-04\n';

describe('POST {table}/uploads as multipart', () => {
  it('answers 201 with a queued upload, then completes with counts, hash and the rows in the table', async () => {
    const table = await freshTable(emu);
    const posted = await sendJson(emu, `${table}/uploads`, {
      body: multipart(clientMetadata({ name: 'people.csv' }), CSV, 'people.csv'),
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      kind: 'upload',
      name: 'people.csv',
      type: 'delimited',
      size: CSV.length,
    });
    expect(['queued', 'running', 'completed']).toContain(posted.body.status);
    expect(posted.body.uri).toBe(`${decodeURIComponent(table)}/uploads/people_csv`);
    const done = await waitForUpload(emu, posted.body.uri);
    expect(done).toMatchObject({
      status: 'completed',
      numRows: 3,
      badRecordsCount: 0,
      errorMessage: null,
      hash: createHash('md5').update(CSV).digest('hex'),
      hasHeaderRow: true,
      mergeStrategy: 'append',
    });
    expect(await variables(emu, table)).toEqual(['id:integer', 'name:string', 'score:float', 'day:date']);
    expect(await listRows(emu, table)).toEqual([
      ['1', 'ann', '1.5', '2024-01-02'],
      ['2', 'bob', null, '2024-02-03'],
      ['3', 'c, d', '3.0', '2024-03-04'],
    ]);
    const t = await sendJson(emu, table);
    expect(t.body.numRows).toBe(3);
    const list = await sendJson(emu, `${table}/uploads`);
    expect(list.body.results.map((u: { name: string }) => u.name)).toEqual(['people.csv']);
    expect((await send(emu, posted.body.uri, { method: 'HEAD' })).status).toBe(200);
  });

  it('stacks a second upload by variable name, adding variables and widening integer to float', async () => {
    const table = await freshTable(emu);
    await uploadAndWait(emu, table, {}, 'a,b\n1,x\n', 'one.csv');
    const second = await uploadAndWait(emu, table, {}, 'B,c,a\ny,true,2.5\n', 'two.csv');
    expect(second.status).toBe('completed');
    expect(await variables(emu, table)).toEqual(['a:float', 'b:string', 'c:boolean']);
    expect(await listRows(emu, table)).toEqual([
      ['1.0', 'x', null],
      ['2.5', 'y', 'true'],
    ]);
  });

  it('gives a second upload of the same name a new name instead of failing', async () => {
    const table = await freshTable(emu);
    const a = await uploadAndWait(emu, table, { name: 'same.csv' }, 'x\n1\n');
    const b = await uploadAndWait(emu, table, { name: 'same.csv' }, 'x\n2\n');
    expect([a.name, b.name]).toEqual(['same.csv', 'same_2.csv']);
  });

  it('accepts the metadata part as a plain field (R and browsers) and the simple protocol (raw body)', async () => {
    const table = await freshTable(emu);
    const form = new FormData();
    form.append('metadata', JSON.stringify(clientMetadata({ name: 'field.csv' })));
    form.append('data', new Blob(['v\n1\n2\n']), 'ignored.csv');
    const posted = await sendJson(emu, `${table}/uploads`, { body: form });
    expect(posted.status).toBe(201);
    expect((await waitForUpload(emu, posted.body.uri)).numRows).toBe(2);
    const simple = await sendJson(emu, `${table}/uploads?name=raw.csv&hasHeaderRow=true`, {
      body: 'v\n3\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(simple.status, JSON.stringify(simple.body)).toBe(201);
    expect((await waitForUpload(emu, simple.body.uri)).numRows).toBe(1);
    expect(await listRows(emu, table)).toEqual([['1'], ['2'], ['3']]);
  });

  it('refuses truncated multipart bodies, unknown parts and missing metadata with 400, creating nothing', async () => {
    const table = await freshTable(emu);
    const boundary = 'xYzBoundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"name":"cut.csv"}\r\n--${boundary}\r\nContent-Disposition: form-data; name="data"; filename="cut.csv"\r\n\r\na,b\n1,2\n`;
    const truncated = await sendJson(emu, `${table}/uploads`, {
      body: head,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(truncated.status).toBe(400);
    expect(truncated.body).toMatchObject({ error: 'invalid_request' });
    expect(truncated.body.error_description).toMatch(/truncated or malformed/);
    // Cut inside a metadata part sent as a file (Python's requests) and inside an unknown file part: these errors
    // surface on the part's own stream, and once crashed the whole emulator process.
    for (const cut of [
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"; filename="m.json"\r\n\r\n{"name":`,
      `--${boundary}\r\nContent-Disposition: form-data; name="other"; filename="o.csv"\r\n\r\na,b\n1`,
    ]) {
      const res = await sendJson(emu, `${table}/uploads`, {
        body: cut,
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(res.status).toBe(400);
    }
    expect((await sendJson(emu, '/organizations/demo')).status).toBe(200);
    const extra = new FormData();
    extra.append('metadata', '{}');
    extra.append('other', new Blob(['x']), 'x');
    expect((await sendJson(emu, `${table}/uploads`, { body: extra })).body.error_description).toMatch(
      /Unexpected/,
    );
    const noMeta = new FormData();
    noMeta.append('data', new Blob(['a\n1\n']), 'a.csv');
    expect((await sendJson(emu, `${table}/uploads`, { body: noMeta })).body.error_description).toMatch(
      /no metadata/,
    );
    const badJson = new FormData();
    badJson.append('metadata', '{not json');
    badJson.append('data', new Blob(['a\n1\n']), 'a.csv');
    expect((await sendJson(emu, `${table}/uploads`, { body: badJson })).status).toBe(400);
    expect((await sendJson(emu, `${table}/uploads`)).body.results).toEqual([]);
    expect(await variables(emu, table)).toEqual([]);
  });

  it('validates every metadata field with a 400 naming it', async () => {
    const table = await freshTable(emu);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ delimiter: ';;' }, /delimiter must be a single character/],
      [{ quoteCharacter: 5 }, /quoteCharacter must be a string/],
      [{ hasHeaderRow: 'yes' }, /hasHeaderRow must be a boolean/],
      [{ nullMarkers: 'NA' }, /nullMarkers must be an array of strings/],
      [{ schema: [{ name: '1bad', type: 'string' }] }, /schema\[0\]\.name/],
      [{ schema: [{ name: 'a', type: 'text' }] }, /schema\[0\]\.type must be one of/],
      [
        {
          schema: [
            { name: 'a', type: 'string' },
            { name: 'A', type: 'integer' },
          ],
        },
        /twice/,
      ],
      [{ type: 'sav' }, /type "sav" are not supported by the emulator/],
      [{ type: 'xls' }, /not supported by the emulator/],
      [{ type: 'pdf' }, /Unknown upload type "pdf"/],
      [{ mergeStrategy: 'merge' }, /mergeStrategy must be one of append, replace/],
      [{ metadata: { a: { label: 7 } } }, /label must be a string/],
    ];
    for (const [fields, message] of cases) {
      const r = await sendJson(emu, `${table}/uploads`, {
        body: multipart(clientMetadata(fields), 'a\n1\n'),
      });
      expect(r.status, JSON.stringify(fields)).toBe(400);
      expect(r.body.error_description, JSON.stringify(fields)).toMatch(message);
    }
    const shp = await sendJson(emu, `${table}/uploads`, {
      body: multipart(clientMetadata(), 'x', 'map.shp.zip'),
    });
    expect(shp.body.error_description).toMatch(/"shp\.zip" are not supported by the emulator/);
    expect((await sendJson(emu, `${table}/uploads`)).body.results).toEqual([]);
  });

  it('answers 413 for a body over the request limit and a transfer from outside Redivis with a clear 400', async () => {
    const small = await startEmulator({ seed: 'demo', seedRows: 10, bodyLimits: { upload: 1024 } });
    try {
      const table = await freshTable(small);
      const r = await sendJson(small, `${table}/uploads`, {
        body: multipart(clientMetadata(), 'x'.repeat(5000)),
      });
      expect(r.status).toBe(413);
      expect((await sendJson(small, `${table}/uploads`)).body.results).toEqual([]);
      const gcs = await sendJson(small, `${table}/uploads`, {
        json: clientMetadata({
          name: 'remote.csv',
          transferSpecification: {
            sourceType: 'gcs',
            sourcePath: 'bucket/file.csv',
            identity: 'me@example.com',
          },
        }),
      });
      expect(gcs.status).toBe(400);
      expect(gcs.body.error_description).toMatch(/sourceType "gcs" are not supported by the emulator/);
    } finally {
      await small.stop();
    }
  });

  it('copies another table with a redivis transferSpecification', async () => {
    const table = await freshTable(emu);
    const posted = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({
        name: 'iris_copy',
        transferSpecification: { sourceType: 'redivis', sourcePath: 'demo.iris_species:v1_0.iris' },
      }),
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const done = await waitForUpload(emu, posted.body.uri);
    expect(done).toMatchObject({ status: 'completed', numRows: 150 });
    expect((await sendJson(emu, table)).body.numRows).toBe(150);
  });

  it('needs credentials, edit access and data.edit, and an unreleased version', async () => {
    const table = await freshTable(emu);
    const body = () => multipart(clientMetadata(), 'a\n1\n');
    expect((await send(emu, `${table}/uploads`, { body: body(), token: null })).status).toBe(401);
    expect((await send(emu, `${table}/uploads`, { body: body(), token: BOB })).status).toBe(403);
    const released = await sendJson(emu, '/tables/demo.iris_species:v1_0.iris/uploads', { body: body() });
    expect([400, 403]).toContain(released.status);
    const alice = await sendJson(emu, '/tables/demo.weather_sample.stations/uploads', {
      body: body(),
      token: ALICE,
    });
    expect(alice.status).toBe(403);
  });
});
