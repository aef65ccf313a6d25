import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { BOB } from './contract-helpers.js';
import { type Body, send, sendInTwoChunks, sendJson } from './uploads/helpers.js';

// Raw files added from temp uploads (spec §5.4.4: createTempUploads, then POST rawFiles {files:[{name, tempUploadId}]})
// and the headers of their downloads (§5.4.2–5.4.3).

const NEXT = '/tables/demo.demo_files:next.files';
let emu: RunningEmulator;

/** A temp upload of `bytes`, sent in two resumable chunks as the Python client does for large files. */
async function tempUpload(bytes: Buffer, name = 'f'): Promise<string> {
  const created = await sendJson(emu, `${NEXT}/tempUploads`, {
    json: { tempUploads: [{ size: bytes.length, name, resumable: true }] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const t = created.body.results[0];
  await sendInTwoChunks(emu, t.url, bytes);
  return t.id;
}

const addFiles = (files: unknown) => sendJson(emu, `${NEXT}/rawFiles`, { json: { files } });

async function listedNames(): Promise<string[]> {
  const { tableFromIPC } = await import('apache-arrow');
  const res = await send(emu, `${NEXT}/rawFiles?format=arrow`);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()))
    .toArray()
    .map((r) => r.file_name as string)
    .sort();
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10 });
  expect((await sendJson(emu, '/datasets/demo.demo_files/versions', { json: {} })).status).toBe(201);
});
afterAll(() => emu.stop());

describe('POST {table}/rawFiles with tempUploadId', () => {
  const big = randomBytes(3 * 1024 * 1024 + 17);
  let added: Body;

  it('adds the temp upload as a file (201 rawFileList) whose bytes download exactly, also by range', async () => {
    const id = await tempUpload(big);
    const res = await addFiles([{ name: 'data/big blob (1).bin', tempUploadId: id }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    added = res.body.results[0];
    expect(added).toMatchObject({
      kind: 'rawFile',
      name: 'data/big blob (1).bin',
      size: big.length,
      md5Hash: createHash('md5').update(big).digest('base64'),
      uri: `/rawFiles/${added.id}`,
    });
    const got = Buffer.from(await (await send(emu, `/rawFiles/${added.id}`)).arrayBuffer());
    expect(got.equals(big)).toBe(true);
    const part = await send(emu, `/rawFiles/${added.id}`, { headers: { Range: 'bytes=1048576-1048599' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1048576-1048599/${big.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(big.subarray(1048576, 1048600))).toBe(true);
    expect(await listedNames()).toContain('data/big blob (1).bin');
    // The bytes moved out of the temp upload; the slot is spent.
    expect(await readdir(join(emu.ctx.dataDir, 'temp-uploads'))).not.toContain(id);
    expect((await addFiles([{ name: 'again.bin', tempUploadId: id }])).status).toBe(400);
  });

  it('HEAD answers what GET does without the body: X-Redivis-Filename, type, disposition, length, MD5', async () => {
    const head = await fetch(`${emu.url}/rawFiles/${added.id}`, {
      method: 'HEAD',
      headers: { Authorization: 'Bearer rdv_demo_admin_token' },
    });
    expect(head.status).toBe(200);
    const get = await send(emu, `/rawFiles/${added.id}`);
    await get.arrayBuffer();
    expect(head.headers.get('x-redivis-filename')).toBe(encodeURIComponent('data/big blob (1).bin'));
    expect(decodeURIComponent(head.headers.get('x-redivis-filename') as string)).toBe(
      'data/big blob (1).bin',
    );
    expect(head.headers.get('content-disposition')).toBe(
      `attachment; filename="big blob (1).bin"; filename*=UTF-8''big%20blob%20(1).bin`,
    );
    for (const h of [
      'content-type',
      'content-length',
      'content-disposition',
      'x-redivis-filename',
      'digest',
      'content-digest',
      'x-goog-hash',
      'accept-ranges',
    ]) {
      expect(head.headers.get(h), h).not.toBeNull();
      expect(head.headers.get(h), h).toBe(get.headers.get(h));
    }
    expect(head.headers.get('content-type')).toBe('application/octet-stream');
    expect(head.headers.get('content-length')).toBe(String(big.length));
    expect(await head.text()).toBe('');
  });

  it('types seeded files by extension and names them in X-Redivis-Filename (metadata access suffices)', async () => {
    const { tableFromIPC } = await import('apache-arrow');
    const res = await send(emu, '/tables/demo.demo_files.files/rawFiles?format=arrow');
    const rows = tableFromIPC(new Uint8Array(await res.arrayBuffer())).toArray();
    const png = rows.find((r) => r.file_name === 'images/gradient.png');
    const head = await send(emu, `/rawFiles/${png.file_id}`, { method: 'HEAD', token: BOB });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(head.headers.get('x-redivis-filename')).toBe('images%2Fgradient.png');
    expect(head.headers.get('content-disposition')).toMatch(/filename="gradient\.png"/);
  });

  it('checks every file before adding any: a bad name or an incomplete temp upload adds nothing, loses nothing', async () => {
    const good = await tempUpload(Buffer.from('good bytes'));
    const before = await listedNames();
    expect(
      (
        await addFiles([
          { name: 'ok.txt', tempUploadId: good },
          { name: '../x', tempUploadId: good },
        ])
      ).status,
    ).toBe(400);
    const half = await sendJson(emu, `${NEXT}/tempUploads`, {
      json: { tempUploads: [{ size: 10, name: 'half', resumable: false }] },
    });
    const incomplete = await addFiles([
      { name: 'ok.txt', tempUploadId: good },
      { name: 'half.txt', tempUploadId: half.body.results[0].id },
    ]);
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.error_description).toMatch(/received 0 of its 10 bytes/);
    const twice = await addFiles([
      { name: 'a.txt', tempUploadId: good },
      { name: 'b.txt', tempUploadId: good },
    ]);
    expect(twice.status).toBe(400);
    for (const bad of [null, [], [{ name: 'x' }], [{ tempUploadId: good }]]) {
      expect((await addFiles(bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect(await listedNames()).toEqual(before);
    // The temp upload is still whole and can be added afterwards.
    const ok = await addFiles([{ name: 'ok.txt', tempUploadId: good }]);
    expect(ok.status).toBe(201);
    expect(await (await send(emu, `/rawFiles/${ok.body.results[0].id}`)).text()).toBe('good bytes');
  });
});
