import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { ADMIN, BOB } from '../contract-helpers.js';
import { clientMetadata, freshTable, listRows, send, sendJson, waitForUpload } from './helpers.js';

// The two [doc-legacy] write routes (spec §5.4.4 `POST {table}/files?name=`, §5.9.1 `POST {table}/resumableUpload`)
// over real HTTP, as aliases of rawFiles and temp uploads.

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10, rateLimit: false });
});
afterAll(() => emu.stop());

/** `n` bytes of a fixed, non-repeating-looking pattern (deterministic). */
function pattern(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');

let tables = 0;
/** A file index table on the unreleased version of a fresh dataset of the demo organization. */
async function fileIndexTable(on = emu): Promise<string> {
  tables++;
  const name = `legacy_files_${process.pid}_${tables}`;
  const ds = await sendJson(on, '/organizations/demo/datasets', {
    json: { name, publicAccessLevel: 'none' },
  });
  expect(ds.status, JSON.stringify(ds.body)).toBe(201);
  const t = await sendJson(on, `/datasets/demo.${name}:next/tables`, {
    json: { name: 'files', isFileIndex: true },
  });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  return `/tables/${encodeURIComponent(`demo.${name}:next.files`)}`;
}

/** The file index's rows, as `name size md5`, sorted. */
async function listed(table: string, on = emu): Promise<string[]> {
  const res = await send(on, `${table}/rawFiles?format=arrow`);
  expect(res.status).toBe(200);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()))
    .toArray()
    .map((r) => `${r.file_name} ${r.size} ${r.md5_hash}`)
    .sort();
}

const postFile = (table: string, query: string, body: Uint8Array, token?: string | null, on = emu) =>
  sendJson(on, `${table}/files${query}`, {
    body,
    token,
    headers: { 'Content-Type': 'application/octet-stream' },
  });

describe('POST {table}/files?name= (legacy files.post)', () => {
  it('adds the raw body as one file (201 rawFile) that downloads byte for byte', async () => {
    const table = await fileIndexTable();
    const bytes = pattern(3 * 1024 * 1024 + 17);
    const name = 'docs/report (1).bin';
    const res = await postFile(table, `?name=${encodeURIComponent(name)}`, bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      kind: 'rawFile',
      id: expect.stringMatching(/^[a-z0-9]{4}-[a-z0-9]{9}$/),
      uri: `/rawFiles/${res.body.id}`,
      url: `${emu.origin}/api/v1/rawFiles/${res.body.id}`,
      name,
      md5Hash: md5(bytes),
      size: bytes.length,
    });
    const got = Buffer.from(await (await send(emu, `/rawFiles/${res.body.id}`)).arrayBuffer());
    expect(md5(got)).toBe(md5(bytes));
    expect(got.equals(bytes)).toBe(true);
    expect(await listed(table)).toEqual([`${name} ${bytes.length} ${md5(bytes)}`]);
    // An empty body is an empty file.
    const empty = await postFile(table, '?name=empty.txt', new Uint8Array());
    expect(empty.status, JSON.stringify(empty.body)).toBe(201);
    expect(empty.body).toMatchObject({ name: 'empty.txt', size: 0, md5Hash: md5(new Uint8Array()) });
    expect(await (await send(emu, `/rawFiles/${empty.body.id}`)).text()).toBe('');
  });

  it('refuses a missing or invalid name, a table it cannot edit, a released version and a tabular table; adds nothing', async () => {
    const table = await fileIndexTable();
    expect((await postFile(table, '?name=kept.txt', Buffer.from('kept'))).status).toBe(201);
    const before = await listed(table);
    const body = Buffer.from('hello');
    for (const query of [
      '',
      '?name=',
      '?name=..%2Fx',
      '?name=%2Fetc%2Fpasswd',
      '?name=a%5Cb',
      '?name=a%00b',
    ]) {
      const r = await postFile(table, query, body);
      expect(r.status, query).toBe(400);
      expect(r.body.error_description, query).toMatch(/name/);
    }
    expect((await postFile(table, '?name=x.txt', body, null)).status).toBe(401);
    expect((await postFile(table, '?name=x.txt', body, BOB)).status).toBe(403);
    expect(await listed(table)).toEqual(before);
    const released = await postFile('/tables/demo.demo_files.files', '?name=x.txt', body);
    expect(released.status).toBe(400);
    expect(released.body.error_description).toMatch(/unreleased next version/);
    const tabular = await postFile(await freshTable(emu), '?name=x.txt', body);
    expect(tabular.status).toBe(400);
    expect(tabular.body.error_description).toMatch(/not a file index table/);
  });

  it('refuses a body over the upload limit (413), declared or chunked, and leaves no bytes behind', async () => {
    const small = await startEmulator({ seed: 'demo', seedRows: 10, bodyLimits: { upload: 1024 } });
    try {
      const table = await fileIndexTable(small);
      expect((await postFile(table, '?name=kept.txt', Buffer.from('kept'), undefined, small)).status).toBe(
        201,
      );
      const listing = await listed(table, small);
      const uploads = join(small.ctx.dataDir, 'uploads');
      const before = await readdir(uploads);
      const declared = await postFile(table, '?name=big.bin', pattern(5000), undefined, small);
      expect(declared.status).toBe(413);
      expect(declared.body).toMatchObject({ error: 'payload_too_large', maxBytes: 1024 });
      // Without Content-Length the bytes are counted as they arrive, after the file was opened.
      const chunked = await fetch(`${small.url}${table}/files?name=big.bin`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN}` },
        body: new Blob([new Uint8Array(pattern(5000))]).stream(),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      await chunked.arrayBuffer();
      expect(await listed(table, small)).toEqual(listing);
      expect(await readdir(uploads)).toEqual(before);
      const at = pattern(1024);
      const ok = await postFile(table, '?name=at-limit.bin', at, undefined, small);
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body.md5Hash).toBe(md5(at));
    } finally {
      await small.stop();
    }
  });
});

/** A CSV of `n` rows, `id,label`. */
function csv(n: number): Buffer {
  const lines = ['id,label'];
  for (let i = 0; i < n; i++) lines.push(`${i},row ${i}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

describe('POST {table}/resumableUpload?size= (legacy resumable uploads)', () => {
  it('answers a session URL taking Content-Range chunks; uploads.post imports it through resumableUploadId', async () => {
    const table = await freshTable(emu);
    const data = csv(500);
    const created = await sendJson(emu, `${table}/resumableUpload?size=${data.length}`, { method: 'POST' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id, url } = created.body;
    expect(created.body).toEqual({ kind: 'resumableUpload', id, url });
    expect(url).toMatch(new RegExp(`^${emu.origin}/tempUploads/${id}\\?upload_id=[a-z0-9]+$`));
    const half = 4096;
    // Chunks go straight to the URL, as the legacy clients sent them: no session start, no token.
    const first = await send(emu, url, {
      method: 'PUT',
      body: data.subarray(0, half),
      token: null,
      headers: { 'Content-Range': `bytes 0-${half - 1}/${data.length}` },
    });
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${half - 1}`);
    const progress = await send(emu, url, {
      method: 'PUT',
      token: null,
      headers: { 'Content-Range': `bytes */${data.length}` },
    });
    expect(progress.status).toBe(308);
    expect(progress.headers.get('range')).toBe(`bytes=0-${half - 1}`);
    // Before the last chunk the bytes are incomplete: the upload is refused and the slot kept.
    const early = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ name: 'legacy.csv', resumableUploadId: id }),
    });
    expect(early.status).toBe(400);
    expect(early.body.error_description).toMatch(`received ${half} of its ${data.length} bytes`);
    const last = await send(emu, url, {
      method: 'PUT',
      body: data.subarray(half),
      token: null,
      headers: { 'Content-Range': `bytes ${half}-${data.length - 1}/${data.length}` },
    });
    expect(last.status).toBe(200);
    const posted = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ name: 'legacy.csv', resumableUploadId: id }),
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const done = await waitForUpload(emu, posted.body.uri);
    expect(done).toMatchObject({ status: 'completed', numRows: 500, name: 'legacy.csv' });
    const rows = await listRows(emu, table);
    expect(rows).toHaveLength(500);
    expect(rows.map((r) => r.join(',')).sort()).toEqual(
      Array.from({ length: 500 }, (_, i) => `${i},row ${i}`).sort(),
    );
    // The slot is spent.
    const again = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ name: 'again.csv', resumableUploadId: id }),
    });
    expect(again.status).toBe(400);
  });

  it('takes the size as a JSON body too, as the 2021 Python client sent it, and the data in one PUT', async () => {
    const table = await freshTable(emu);
    const data = csv(3);
    const created = await sendJson(emu, `${table}/resumableUpload`, { json: { size: data.length } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const put = await send(emu, created.body.url, {
      method: 'PUT',
      body: data,
      token: null,
      headers: { 'Content-Range': `bytes 0-${data.length - 1}/${data.length}` },
    });
    expect(put.status).toBe(200);
    // tempUploadId naming the same slot is allowed alongside; naming another is not.
    const clash = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ name: 'x.csv', tempUploadId: 'other', resumableUploadId: created.body.id }),
    });
    expect(clash.status).toBe(400);
    const posted = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({
        name: 'x.csv',
        tempUploadId: created.body.id,
        resumableUploadId: created.body.id,
      }),
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(await waitForUpload(emu, posted.body.uri)).toMatchObject({ status: 'completed', numRows: 3 });
  });

  it('refuses a missing or bad size, a size over the limit, a table it cannot edit and a released version', async () => {
    const table = await freshTable(emu);
    const slots = () => emu.ctx.db.all('SELECT id FROM temp_uploads');
    const before = await slots();
    const post = (query: string, token?: string | null) =>
      sendJson(emu, `${table}/resumableUpload${query}`, { method: 'POST', token });
    for (const query of ['', '?size=', '?size=-1', '?size=1.5', '?size=abc']) {
      const r = await post(query);
      expect(r.status, query).toBe(400);
      expect(r.body.error_description, query).toMatch(/size/);
    }
    const over = await post(`?size=${emu.ctx.options.uploads.maxBytes + 1}`);
    expect(over.status).toBe(413);
    expect((await post('?size=3', null)).status).toBe(401);
    expect((await post('?size=3', BOB)).status).toBe(403);
    const released = await sendJson(emu, '/tables/demo.iris_species:v1_0.iris/resumableUpload?size=3', {
      method: 'POST',
    });
    expect(released.status).toBe(400);
    expect(await slots()).toEqual(before);
  });
});
