import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_HEADER } from '../../src/faults/options.js';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { clientMetadata, freshTable, listRows, send, sendJson, waitForUpload } from './helpers.js';

/** A CSV of `n` rows, `id,label`, as bytes. */
function csv(n: number): Buffer {
  const lines = ['id,label'];
  for (let i = 0; i < n; i++) lines.push(`${i},row ${i}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function createTemp(
  emu: RunningEmulator,
  table: string,
  size: number,
  resumable: boolean,
  name = 'big.csv',
) {
  const r = await sendJson(emu, `${table}/tempUploads`, {
    json: { tempUploads: [{ size, name, resumable }] },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.kind).toBe('tempUploadList');
  const [t] = r.body.results;
  expect(t).toMatchObject({ kind: 'tempUpload', name, size: String(size), resumable });
  expect(t.url).toBe(`${emu.origin}/tempUploads/${t.id}`);
  return t as { id: string; url: string };
}

async function startSession(emu: RunningEmulator, url: string, size: number): Promise<string> {
  const res = await send(emu, url, {
    method: 'POST',
    headers: { 'x-upload-content-length': String(size), 'x-goog-resumable': 'start' },
  });
  expect(res.status).toBe(200);
  const location = res.headers.get('location');
  expect(location).toMatch(new RegExp(`^${url}\\?upload_id=`));
  return location as string;
}

function putChunk(
  emu: RunningEmulator,
  session: string,
  bytes: Buffer,
  start: number,
  total: number | '*',
  headers = {},
) {
  const end = start + bytes.length - 1;
  return send(emu, session, {
    method: 'PUT',
    body: bytes,
    headers: { 'Content-Range': `bytes ${start}-${end}/${total}`, ...headers },
  });
}

function query(emu: RunningEmulator, session: string, total: number) {
  return send(emu, session, { method: 'PUT', headers: { 'Content-Range': `bytes */${total}` } });
}

let dir: string;
let emu: RunningEmulator;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-emulator-temp-uploads-'));
  emu = await startEmulator({ dataDir: dir, seed: 'demo', seedRows: 10, faults: { enabled: true } });
});
afterAll(async () => {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('temp uploads', () => {
  it('takes a whole file in one PUT (non-resumable), then imports it through tempUploadId', async () => {
    const table = await freshTable(emu);
    const data = csv(1000);
    const t = await createTemp(emu, table, data.length, false);
    const put = await send(emu, t.url, {
      method: 'PUT',
      body: data,
      headers: { Authorization: 'Bearer anything' },
    });
    expect(put.status).toBe(200);
    const posted = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ name: 'big.csv', tempUploadId: t.id }),
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const done = await waitForUpload(emu, posted.body.uri);
    expect(done).toMatchObject({
      status: 'completed',
      numRows: 1000,
      size: data.length,
      hash: createHash('md5').update(data).digest('hex'),
    });
    const again = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ name: 'again.csv', tempUploadId: t.id }),
    });
    expect(again.status).toBe(400);
    expect(again.body.error_description).toMatch(/Unknown tempUploadId/);
  });

  it('speaks the resumable protocol byte for byte: 308 + Range, progress query, resend overlap, completion', async () => {
    const table = await freshTable(emu);
    const data = csv(5000);
    const size = data.length;
    const t = await createTemp(emu, table, size, true);
    const session = await startSession(emu, t.url, size);
    const none = await query(emu, session, size);
    expect(none.status).toBe(308);
    expect(none.headers.get('range')).toBeNull();
    expect(none.headers.get('location')).toBeNull();
    const first = await putChunk(emu, session, data.subarray(0, 262_144 > size ? 1000 : 262_144), 0, size);
    expect(first.status).toBe(308);
    const firstEnd = (262_144 > size ? 1000 : 262_144) - 1;
    expect(first.headers.get('range')).toBe(`bytes=0-${firstEnd}`);
    expect(first.headers.get('location')).toBeNull();
    const progress = await query(emu, session, size);
    expect(progress.status).toBe(308);
    expect(progress.headers.get('range')).toBe(`bytes=0-${firstEnd}`);
    // A gap is refused; a resend overlapping the received bytes skips them (GCS semantics).
    const gap = await putChunk(
      emu,
      session,
      data.subarray(firstEnd + 10, firstEnd + 20),
      firstEnd + 10,
      size,
    );
    expect(gap.status).toBe(400);
    const overlap = await putChunk(emu, session, data.subarray(500, 3000), 500, '*');
    expect(overlap.status).toBe(308);
    expect(overlap.headers.get('range')).toBe('bytes=0-2999');
    const last = await putChunk(emu, session, data.subarray(3000), 3000, size);
    expect(last.status).toBe(200);
    expect(await last.json()).toMatchObject({ kind: 'tempUpload', id: t.id });
    expect((await query(emu, session, size)).status).toBe(200);
    const posted = await sendJson(emu, `${table}/uploads`, { json: clientMetadata({ tempUploadId: t.id }) });
    expect(posted.body.name).toBe('big.csv');
    // The MD5 was computed while the chunks arrived (the overlapping resend's repeated bytes counted once).
    expect(await waitForUpload(emu, posted.body.uri)).toMatchObject({
      status: 'completed',
      numRows: 5000,
      hash: createHash('md5').update(data).digest('hex'),
    });
    const rows = await listRows(emu, table);
    expect(rows[4999]).toEqual(['4999', 'row 4999']);
  });

  it('refuses a wrong Content-Range, a chunk past the declared size, a wrong total and a short body', async () => {
    const table = await freshTable(emu);
    const data = csv(100);
    const size = data.length;
    const t = await createTemp(emu, table, size, true);
    const session = await startSession(emu, t.url, size);
    const bad = await send(emu, session, {
      method: 'PUT',
      body: 'x',
      headers: { 'Content-Range': 'bytes=0-0/5' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error_description).toMatch(/Content-Range must be/);
    const past = await putChunk(emu, session, Buffer.concat([data, Buffer.from('extra')]), 0, size);
    expect(past.status).toBe(400);
    expect((await past.json()).error_description).toMatch(/past the temp upload's size/);
    const total = await putChunk(emu, session, data, 0, size + 1);
    expect((await total.json()).error_description).toMatch(/does not match the temp upload's size/);
    const lying = await send(emu, session, {
      method: 'PUT',
      body: data.subarray(0, 10),
      headers: { 'Content-Range': `bytes 0-19/${size}` },
    });
    expect(lying.status).toBe(400);
    expect((await lying.json()).error_description).toMatch(/Content-Length 10 does not match/);
    const none = await query(emu, session, size);
    expect(none.status).toBe(308);
    expect(none.headers.get('range')).toBeNull();
    const early = await sendJson(emu, `${table}/uploads`, { json: clientMetadata({ tempUploadId: t.id }) });
    expect(early.status).toBe(400);
    expect(early.body.error_description).toMatch(/has received 0 of its/);
    const start = await send(emu, t.url, {
      method: 'POST',
      headers: { 'x-upload-content-length': '1', 'x-goog-resumable': 'start' },
    });
    expect(start.status).toBe(400);
    expect((await send(emu, `${emu.origin}/tempUploads/nope`, { method: 'PUT', body: 'x' })).status).toBe(
      404,
    );
    expect((await sendJson(emu, `${table}/uploads`)).body.results).toEqual([]);
  });

  it('keeps the bytes of a chunk cut mid-transfer and resumes after an emulator restart', async () => {
    const table = await freshTable(emu);
    const data = csv(20_000);
    const size = data.length;
    const t = await createTemp(emu, table, size, true);
    const session = await startSession(emu, t.url, size);
    const cut = putChunk(emu, session, data, 0, size, {
      [FAULT_HEADER]: JSON.stringify({ cutUploadChunkAfterBytes: 70_000 }),
    });
    await expect(cut).rejects.toThrow();
    const after = await query(emu, session, size);
    expect(after.status).toBe(308);
    expect(after.headers.get('range')).toBe('bytes=0-69999');
    await emu.stop();
    emu = await startEmulator({ dataDir: dir, seed: 'demo', seedRows: 10, faults: { enabled: true } });
    const moved = session.replace(/^http:\/\/[^/]+/, emu.origin);
    const resumed = await query(emu, moved, size);
    expect(resumed.status).toBe(308);
    expect(resumed.headers.get('range')).toBe('bytes=0-69999');
    const rest = await putChunk(emu, moved, data.subarray(70_000), 70_000, size);
    expect(rest.status).toBe(200);
    const posted = await sendJson(emu, `${table}/uploads`, { json: clientMetadata({ tempUploadId: t.id }) });
    const done = await waitForUpload(emu, posted.body.uri);
    expect(done).toMatchObject({ status: 'completed', numRows: 20_000 });
    const rows = await listRows(emu, table);
    expect(rows.length).toBe(20_000);
    expect(rows[12_345]).toEqual(['12345', 'row 12345']);
  }, 120_000);

  it('expires sessions after 24 hours (404: the client restarts)', async () => {
    let clock = Date.now();
    const timed = await startEmulator({ seed: 'demo', seedRows: 10, now: () => clock });
    try {
      const table = await freshTable(timed);
      const t = await createTemp(timed, table, 3, true);
      const session = await startSession(timed, t.url, 3);
      clock += 24 * 3_600_000 + 1;
      expect((await query(timed, session, 3)).status).toBe(404);
      const use = await sendJson(timed, `${table}/uploads`, { json: clientMetadata({ tempUploadId: t.id }) });
      expect(use.status).toBe(400);
    } finally {
      await timed.stop();
    }
  }, 120_000);

  it('fails processing on an injected fault with its message, leaving the table unchanged', async () => {
    const table = await freshTable(emu);
    const posted = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ name: 's.csv', type: 'stream', schema: [{ name: 'a', type: 'integer' }] }),
    });
    expect(posted.status).toBe(201);
    const data = Buffer.from('a\n1\n2\n');
    const t = await createTemp(emu, table, data.length, false, 'f.csv');
    expect((await send(emu, t.url, { method: 'PUT', body: data })).status).toBe(200);
    const failing = await sendJson(emu, `${table}/uploads`, {
      json: clientMetadata({ tempUploadId: t.id }),
      headers: { [FAULT_HEADER]: JSON.stringify({ failUploadProcessing: 'Injected: disk on fire' }) },
    });
    expect(failing.status).toBe(201);
    const done = await waitForUpload(emu, failing.body.uri);
    expect(done).toMatchObject({ status: 'failed', errorMessage: 'Injected: disk on fire', numRows: 0 });
    expect((await sendJson(emu, table)).body.numRows).toBe(0);
  });
});
