import fc from 'fast-check';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { ALICE } from '../contract-helpers.js';
import { clientMetadata, freshTable, send, sendJson, waitForUpload } from '../uploads/helpers.js';

let emu: RunningEmulator;
let table: string;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 10 });
  table = await freshTable(emu);
});
afterAll(() => emu.stop());

/** Statuses an upload request may answer with: created, refused as malformed, or too large. Never a 5xx. */
const UPLOAD_STATUSES = [201, 400, 413];

/** Bytes that make CSV and JSON parsers work: separators, quotes, escapes, nulls, invalid UTF-8, long fields. */
const cell = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '',
    '"',
    '""',
    ',',
    ';',
    '\t',
    '\\',
    '\n',
    '\r\n',
    'NULL',
    'null',
    '1e309',
    '-0',
    'NaN',
    'é',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('2024-02-30', '2024-01-01T00:00:00Z', 'POINT(1 2)', '{"a":1}', '[1,2]'),
);
const csvBody = fc
  .array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 8 })
  .map((rows) => rows.map((r) => r.join(',')).join('\n'));
const ndjsonBody = fc
  .array(
    fc.oneof(
      fc.dictionary(fc.constantFrom('a', 'b', 'C', 'a b', ''), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    { maxLength: 6 },
  )
  .map((values) => values.map((v) => JSON.stringify(v)).join('\n'));
const junk = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1'));
const invalidUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 40 })
  .map((b) => new Uint8Array([0xc3, 0x28, ...b, 0xff]));

/** A multipart body written by hand, so boundaries, part headers and truncation can all be wrong. */
const rawMultipart = fc
  .record({
    boundary: fc.oneof(fc.constant('XyZ'), fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/)),
    declared: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 10 })),
    parts: fc.array(
      fc.record({
        name: fc.constantFrom('metadata', 'data', 'other', '', 'metadata"; x="'),
        filename: fc.option(fc.constantFrom('data.csv', 'a.ndjson', '../../etc/passwd', 'x.parquet', ''), {
          nil: undefined,
        }),
        body: fc.oneof(
          fc.constant(JSON.stringify(clientMetadata({ name: 'fuzz.csv' }))),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          csvBody,
          junk,
        ),
      }),
      { maxLength: 4 },
    ),
    cut: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ boundary, declared, parts, cut }) => {
    const text = `${parts
      .map(
        (p) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${
            p.filename === undefined ? '' : `; filename="${p.filename}"`
          }\r\n\r\n${p.body}\r\n`,
      )
      .join('')}--${boundary}--\r\n`;
    const body = cut === undefined ? text : text.slice(0, cut % (text.length + 1));
    return { contentType: `multipart/form-data; boundary=${declared ?? boundary}`, body };
  });

/** Posts an upload body; whatever it is, the answer is one of the documented statuses, and a created upload ends. */
async function postUpload(query: string, init: { body: BodyInit; headers: Record<string, string> }) {
  const res = await sendJson(emu, `${table}/uploads${query}`, { method: 'POST', ...init });
  expect(UPLOAD_STATUSES, JSON.stringify(res.body)).toContain(res.status);
  if (res.status !== 201) {
    expect(typeof res.body.error).toBe('string');
    expect(typeof res.body.error_description).toBe('string');
    return undefined;
  }
  const done = await waitForUpload(emu, res.body.uri);
  if (done.status === 'failed') expect(done.errorMessage).toEqual(expect.any(String));
  return done;
}

describe('upload bodies of any shape', () => {
  it('hand-written multipart bodies: 201 then a terminal status, or a 400; never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(rawMultipart, async ({ contentType, body }) => {
        await postUpload('', { body, headers: { 'Content-Type': contentType } });
      }),
      { numRuns: 40 },
    );
  }, 180_000);

  it('CSV, NDJSON, junk and invalid UTF-8 as simple uploads end completed or failed with a message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          csvBody.map((b) => ({ type: 'delimited', body: b as BodyInit })),
          ndjsonBody.map((b) => ({ type: 'ndjson', body: b as BodyInit })),
          junk.map((b) => ({ type: 'delimited', body: b as BodyInit })),
          invalidUtf8.map((b) => ({ type: 'ndjson', body: b as BodyInit })),
          invalidUtf8.map((b) => ({ type: 'delimited', body: b as BodyInit })),
        ),
        fc.nat(),
        async ({ type, body }, n) => {
          await postUpload(`?name=fuzz_${n}.${type === 'ndjson' ? 'ndjson' : 'csv'}&type=${type}`, {
            body,
            headers: { 'Content-Type': 'application/octet-stream' },
          });
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000);

  it('well-formed NDJSON of consistent objects imports every line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id: fc.integer(), name: fc.string({ maxLength: 12 }) }), {
          minLength: 1,
          maxLength: 20,
        }),
        async (rows) => {
          const target = await freshTable(emu);
          const body = rows.map((r) => JSON.stringify(r)).join('\n');
          const res = await sendJson(emu, `${target}/uploads?name=rows.ndjson&type=ndjson`, {
            body,
            headers: { 'Content-Type': 'application/octet-stream' },
          });
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          const done = await waitForUpload(emu, res.body.uri);
          expect(done).toMatchObject({ status: 'completed', numRows: rows.length });
        },
      ),
      { numRuns: 8 },
    );
  }, 180_000);
});

describe('Range headers on raw file downloads', () => {
  it('answer 200, 206 with exactly the asked slice, or 416; never anything else', async () => {
    const list = await send(emu, '/tables/demo.demo_files.files/rawFiles?format=arrow', { token: ALICE });
    const files = tableFromIPC(new Uint8Array(await list.arrayBuffer()))
      .toArray()
      .map((r) => ({ id: r.file_id as string, size: Number(r.size) }))
      .filter((f) => f.size < 100_000);
    const whole = new Map<string, Buffer>();
    for (const f of files) {
      whole.set(
        f.id,
        Buffer.from(await (await send(emu, `/rawFiles/${f.id}`, { token: ALICE })).arrayBuffer()),
      );
    }
    const range = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc
        .tuple(
          fc.constantFrom('bytes=', 'bytes =', 'Bytes=', 'items=', ''),
          fc.oneof(fc.nat({ max: 4000 }).map(String), fc.constantFrom('', '-1', '99999999999999999999', 'a')),
          fc.constantFrom('-', '', '--'),
          fc.oneof(fc.nat({ max: 4000 }).map(String), fc.constantFrom('', '-1', '99999999999999999999')),
          fc.constantFrom('', ',0-1', ', 5-'),
        )
        .map((p) => p.join('')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), range, async (file, value) => {
        const res = await send(emu, `/rawFiles/${file.id}`, { token: ALICE, headers: { Range: value } });
        const bytes = Buffer.from(await res.arrayBuffer());
        expect([200, 206, 416]).toContain(res.status);
        const all = whole.get(file.id) as Buffer;
        if (res.status === 200) expect(bytes.equals(all)).toBe(true);
        if (res.status === 416) expect(res.headers.get('content-range')).toBe(`bytes */${file.size}`);
        if (res.status === 206) {
          const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
          expect(m).not.toBeNull();
          const [start, end, total] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
          expect(total).toBe(file.size);
          expect(bytes.equals(all.subarray(start, end + 1))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  }, 180_000);
});
