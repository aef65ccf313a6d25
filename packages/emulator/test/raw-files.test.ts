import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { DEMO_BLOB_BYTES } from '../src/seed/demo-files.js';
import { ADMIN, ALICE, BOB } from './contract-helpers.js';
import { apiClient } from './helpers/api.js';

const FILES = '/tables/demo.demo_files.files';
let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;
let clock = Date.now();
let ids: Map<string, { id: string; size: number; md5: string }>;

async function listing(path = FILES, token = ALICE) {
  const res = await api(`${path}/rawFiles?format=arrow`, { token });
  expect(res.status, res.text).toBe(200);
  const t = tableFromIPC(res.bytes);
  return t.toArray().map((r) => ({
    id: r.file_id as string,
    name: r.file_name as string,
    size: Number(r.size),
    md5: r.md5_hash as string,
  }));
}

function get(path: string, headers: Record<string, string> = {}, token: string | null = ALICE) {
  return fetch(path.startsWith('http') ? path : `${emu.url}${path}`, {
    headers: { ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

async function setRestrictions(dataset: string, rules: unknown) {
  await emu.ctx.db.run('UPDATE datasets SET export_restrictions = ? WHERE name = ?', [
    rules === null ? null : JSON.stringify(rules),
    dataset,
  ]);
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 20, now: () => clock });
  api = apiClient(emu.url);
  ids = new Map((await listing()).map((f) => [f.name, f]));
});
afterAll(() => emu.stop());

describe('demo.demo_files', () => {
  it('lists a text file, a CSV, a PNG and a binary of several MB, each downloadable with its MD5', async () => {
    expect([...ids.keys()].sort()).toEqual([
      'binary/blob.bin',
      'images/gradient.png',
      'readme.txt',
      'tables/measurements.csv',
    ]);
    for (const [name, f] of ids) {
      const res = await get(`/rawFiles/${f.id}`);
      expect(res.status, name).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length).toBe(f.size);
      const md5 = createHash('md5').update(bytes).digest('base64');
      expect(md5).toBe(f.md5);
      expect(res.headers.get('content-digest')).toBe(`md5=:${md5}:`);
      expect(res.headers.get('x-goog-hash')).toBe(`md5=${md5}`);
      if (name.endsWith('.png')) expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      if (name.endsWith('.csv')) expect(bytes.toString().split('\n')[0]).toBe('station,date,value');
    }
    expect(ids.get('binary/blob.bin')?.size).toBe(DEMO_BLOB_BYTES);
  });

  it('serves ranges (206 + Content-Range) so downloads resume; bad ranges are 416', async () => {
    const blob = ids.get('binary/blob.bin')!;
    const whole = Buffer.from(await (await get(`/rawFiles/${blob.id}`)).arrayBuffer());
    const tail = await get(`/rawFiles/${blob.id}`, { Range: 'bytes=5000000-' });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes 5000000-${blob.size - 1}/${blob.size}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(5_000_000))).toBe(true);
    const middle = await get(`/rawFiles/${blob.id}`, { Range: 'bytes=10-19' });
    expect(Buffer.from(await middle.arrayBuffer()).equals(whole.subarray(10, 20))).toBe(true);
    expect((await get(`/rawFiles/${blob.id}`, { Range: `bytes=${blob.size}-` })).status).toBe(416);
    expect((await get(`/rawFiles/${blob.id}`, { Range: 'lines=1-2' })).status).toBe(416);
  });

  it('HEAD answers the headers with metadata access and no body', async () => {
    const f = ids.get('readme.txt')!;
    const res = await fetch(`${emu.url}/rawFiles/${f.id}`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${BOB}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('digest')).toBe(`md5=${f.md5}`);
    expect(res.headers.get('content-length')).toBe(String(f.size));
  });
});

describe('signed URLs', () => {
  async function sign(id: string, duration: unknown = 60, token: string | null = ALICE) {
    return api(`/rawFiles/${id}/signedUrl`, { token, json: { duration } });
  }

  it('downloads without a token until it expires', async () => {
    const f = ids.get('tables/measurements.csv')!;
    const signed = await sign(f.id, 120);
    expect(signed.status, signed.text).toBe(200);
    expect(signed.headers.get('content-type')).toMatch(/^text\/plain/);
    const url = signed.text;
    expect(url.startsWith(`${emu.url}/rawFiles/`)).toBe(true);
    const res = await get(url, {}, null);
    expect(res.status).toBe(200);
    expect(
      createHash('md5')
        .update(Buffer.from(await res.arrayBuffer()))
        .digest('base64'),
    ).toBe(f.md5);
    expect((await get(url, { Range: 'bytes=0-6' }, null)).status).toBe(206);
    clock += 121_000;
    const expired = await get(url, {}, null);
    expect(expired.status).toBe(403);
    expect((await expired.json()).error_description).toMatch(/expired/);
  });

  it('refuses tampered URLs: signature, expiry, user or file changed', async () => {
    const f = ids.get('readme.txt')!;
    const url = new URL((await sign(f.id, 600)).text);
    const tamper = async (mutate: (u: URL) => void) => {
      const u = new URL(url);
      mutate(u);
      const res = await get(u.toString(), {}, null);
      return res.status;
    };
    expect(await tamper(() => undefined)).toBe(200);
    expect(
      await tamper((u) => {
        // The last character of a base64url HMAC is 'A' one time in 16: flip it to one it is not.
        const sig = u.searchParams.get('signature') ?? '';
        u.searchParams.set('signature', `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`);
      }),
    ).toBe(403);
    expect(
      await tamper((u) =>
        u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 3600)),
      ),
    ).toBe(403);
    expect(await tamper((u) => u.searchParams.set('user', 'someone-else'))).toBe(403);
    expect(
      await tamper((u) => {
        u.pathname = u.pathname.replace(f.id, ids.get('binary/blob.bin')!.id);
      }),
    ).toBe(403);
    expect(await tamper((u) => u.searchParams.delete('expires'))).toBe(403);
  });

  it('validates duration (1..86400 seconds) and needs a signed-in user with data access', async () => {
    const f = ids.get('readme.txt')!;
    for (const bad of [0, 86_401, 1.5, '60', null])
      expect((await sign(f.id, bad)).status, String(bad)).toBe(400);
    expect((await sign(f.id, 60, null)).status).toBe(401);
    expect((await sign('nope-nope', 60)).status).toBe(404);
  });
});

describe('POST /tables/:ref/rawFiles', () => {
  const NEXT = '/tables/demo.demo_files:next.files';
  function post(files: Array<[string, string]>, token = ADMIN, path = NEXT) {
    const form = new FormData();
    for (const [name, content] of files) form.append('file', new Blob([content]), name);
    return fetch(`${emu.url}${path}/rawFiles`, {
      method: 'POST',
      body: form,
      headers: { Authorization: `Bearer ${token}` },
    });
  }

  beforeAll(async () => {
    expect((await api('/datasets/demo.demo_files/versions', { token: ADMIN, json: {} })).status).toBeLessThan(
      300,
    );
  });

  it('adds files on the next version (201 rawFileList) and they download as sent', async () => {
    const res = await post([
      ['notes/a.txt', 'hello'],
      ['b.bin', 'x'.repeat(3000)],
    ]);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.kind).toBe('rawFileList');
    expect(body.results.map((r: { name: string }) => r.name)).toEqual(['notes/a.txt', 'b.bin']);
    expect(body.results[0]).toMatchObject({
      kind: 'rawFile',
      size: 5,
      md5Hash: createHash('md5').update('hello').digest('base64'),
    });
    const files = await listing(NEXT, ADMIN);
    expect(files.map((f) => f.name).sort()).toContain('notes/a.txt');
    expect(files).toHaveLength(6);
    expect((await listing()).length).toBe(4);
    const got = await get(`/rawFiles/${body.results[0].id}`, {}, ADMIN);
    expect(await got.text()).toBe('hello');
  });

  it.each([
    '../../etc/passwd',
    '/etc/passwd',
    'a/../../b',
    'a//b',
    './x',
    'back\\slash',
    'nul\u0000byte',
  ])('refuses the name %j with 400 and adds nothing (no file written anywhere)', async (name) => {
    const before = await listing(NEXT, ADMIN);
    const dirBefore = await readdir(emu.ctx.dataDir, { recursive: true });
    const res = await post([
      ['fine.txt', 'ok'],
      [name, 'evil'],
    ]);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_request');
    expect(await listing(NEXT, ADMIN)).toEqual(before);
    expect(await readdir(emu.ctx.dataDir, { recursive: true })).toEqual(dirBefore);
  });

  it('refuses released versions, non-file-index tables, unknown temp uploads and non-editors', async () => {
    expect((await post([['a.txt', 'a']], ADMIN, '/tables/demo.demo_files:v1_0.files')).status).toBe(400);
    expect(
      (await post([['a.txt', 'a']], ADMIN, '/tables/demo.versioned_dataset:next.measurements')).status,
    ).toBe(400);
    const json = await api(`${NEXT}/rawFiles`, {
      token: ADMIN,
      json: { files: [{ name: 'a', tempUploadId: 'x' }] },
    });
    expect(json.status).toBe(400);
    expect([403, 404]).toContain((await post([['a.txt', 'a']], ALICE)).status);
    expect((await listing(NEXT, ADMIN)).length).toBe(6);
  });
});

describe('export restrictions', () => {
  const blob = () => ids.get('binary/blob.bin')!;
  const readme = () => ids.get('readme.txt')!;

  it('maxBytes refuses larger files to non-editors (403 naming the rule), smaller ones pass, editors always', async () => {
    await setRestrictions('Demo files', { maxBytes: 1000 });
    try {
      const refused = await get(`/rawFiles/${blob().id}`);
      expect(refused.status).toBe(403);
      expect((await refused.json()).error_description).toMatch(
        /Export restrictions on dataset "Demo files".*at most 1000/,
      );
      expect(
        (await api(`/rawFiles/${blob().id}/signedUrl`, { token: ALICE, json: { duration: 60 } })).status,
      ).toBe(403);
      expect((await get(`/rawFiles/${readme().id}`)).status).toBe(200);
      expect((await get(`/rawFiles/${blob().id}`, {}, ADMIN)).status).toBe(200);
    } finally {
      await setRestrictions('Demo files', null);
    }
  });

  it('a signed URL made before a restriction stops working once it applies', async () => {
    const url = (await api(`/rawFiles/${readme().id}/signedUrl`, { token: ALICE, json: { duration: 600 } }))
      .text;
    await setRestrictions('Demo files', { requiresApproval: true });
    try {
      expect((await get(url, {}, null)).status).toBe(403);
    } finally {
      await setRestrictions('Demo files', null);
    }
    expect((await get(url, {}, null)).status).toBe(200);
  });

  it('the IP allow-list and exceptions', async () => {
    await setRestrictions('Demo files', { allowedIpRanges: ['10.0.0.0/8'] });
    expect((await get(`/rawFiles/${readme().id}`)).status).toBe(403);
    await setRestrictions('Demo files', { allowedIpRanges: ['10.0.0.0/8', '127.0.0.0/8', '::1'] });
    expect((await get(`/rawFiles/${readme().id}`)).status).toBe(200);
    await setRestrictions('Demo files', { requiresApproval: true, exceptions: ['alice'] });
    expect((await get(`/rawFiles/${readme().id}`)).status).toBe(200);
    await setRestrictions('Demo files', null);
  });

  it('exports are refused (maxRows, approval) while listRows, read sessions and queries stay allowed', async () => {
    await setRestrictions('Iris species', { maxRows: 100 });
    try {
      const exported = await api('/tables/demo.iris_species.iris/exports', {
        token: ALICE,
        json: { format: 'csv' },
      });
      expect(exported.status).toBe(403);
      expect(exported.body.error_description).toMatch(/150 rows and at most 100/);
      expect((await api('/tables/demo.iris_species.iris', { token: ALICE })).body.canDownload).toBe(false);
      expect((await api('/tables/demo.iris_species.iris/rows?maxResults=3', { token: ALICE })).status).toBe(
        200,
      );
      expect(
        (await api('/tables/demo.iris_species.iris/readSessions', { token: ALICE, json: {} })).status,
      ).toBe(200);
      const ok = await api('/tables/demo.iris_species.iris/exports', {
        token: ADMIN,
        json: { format: 'csv' },
      });
      expect(ok.status, ok.text).toBeLessThan(300);
    } finally {
      await setRestrictions('Iris species', null);
    }
    const survey = await api('/tables/demo.restricted_survey.responses/exports', {
      token: ALICE,
      json: { format: 'csv' },
    });
    expect(survey.status).toBe(403);
    expect(survey.body.error_description).toMatch(/require approval/);
  });
});
