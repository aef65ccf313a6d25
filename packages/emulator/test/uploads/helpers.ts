import { tableFromIPC } from 'apache-arrow';
import { expect } from 'vitest';
import type { RunningEmulator } from '../../src/index.js';
import { ADMIN } from '../contract-helpers.js';

/** An API call with the admin token; JSON bodies serialized, anything else sent as is. */
export async function send(
  emu: RunningEmulator,
  path: string,
  init: {
    method?: string;
    json?: unknown;
    body?: BodyInit | Uint8Array;
    headers?: Record<string, string>;
    token?: string | null;
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? ADMIN}`;
  let body = init.body as BodyInit | undefined;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['Content-Type'] = 'application/json';
  }
  const url = path.startsWith('http') ? path : `${emu.url}${path}`;
  return fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
}

/** A response body as the tests read it (checked by the assertions that read it). */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the assertions that read them
export type Body = any;

/** {@link send}, then the body parsed as JSON (or the text). */
export async function sendJson(
  emu: RunningEmulator,
  path: string,
  init?: Parameters<typeof send>[2],
): Promise<{ status: number; body: Body; res: Response }> {
  const res = await send(emu, path, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, res };
}

let counter = 0;

/** A fresh dataset (unreleased) with one empty table; returns the table's path. */
export async function freshTable(
  emu: RunningEmulator,
  strategy: 'append' | 'replace' = 'append',
): Promise<string> {
  counter++;
  const name = `uploads_${process.pid}_${counter}`;
  const ds = await sendJson(emu, '/organizations/demo/datasets', {
    json: { name, publicAccessLevel: 'none' },
  });
  expect(ds.status, JSON.stringify(ds.body)).toBe(201);
  const t = await sendJson(emu, `/datasets/demo.${name}:next/tables`, {
    json: { name: 'target', uploadMergeStrategy: strategy },
  });
  expect(t.status, JSON.stringify(t.body)).toBe(201);
  return `/tables/${encodeURIComponent(`demo.${name}:next.target`)}`;
}

/** A multipart upload as the Python client sends it: `metadata` as a file part, `data` as the file. */
export function multipart(
  metadata: Record<string, unknown>,
  data: string | Uint8Array,
  filename = 'data.csv',
): FormData {
  const form = new FormData();
  form.append('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }), 'metadata');
  form.append('data', new Blob([data as BlobPart]), filename);
  return form;
}

/** The metadata object the official clients send: every key, nulls for unset values. */
export function clientMetadata(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: null,
    type: null,
    schema: null,
    metadata: null,
    hasHeaderRow: true,
    skipBadRecords: false,
    hasQuotedNewlines: null,
    allowJaggedRows: false,
    quoteCharacter: null,
    escapeCharacter: null,
    nullMarkers: null,
    delimiter: null,
    tempUploadId: null,
    transferSpecification: null,
    ...overrides,
  };
}

/** Polls GET {upload} (as the clients do, without their 2 s sleep) until it completed or failed. */
// biome-ignore lint/suspicious/noExplicitAny: upload bodies are checked by the assertions that read them
export async function waitForUpload(emu: RunningEmulator, uri: string): Promise<any> {
  for (;;) {
    const r = await sendJson(emu, uri);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(['queued', 'running', 'completed', 'failed']).toContain(r.body.status);
    if (r.body.status === 'completed' || r.body.status === 'failed') return r.body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Posts a multipart upload and waits for it. */
export async function uploadAndWait(
  emu: RunningEmulator,
  table: string,
  metadata: Record<string, unknown>,
  data: string | Uint8Array,
  filename?: string,
  // biome-ignore lint/suspicious/noExplicitAny: upload bodies are checked by the assertions that read them
): Promise<any> {
  const posted = await sendJson(emu, `${table}/uploads`, {
    body: multipart(clientMetadata(metadata), data, filename),
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  return waitForUpload(emu, posted.body.uri);
}

/** The table's rows through listRows (NDJSON arrays of strings, table order). */
export async function listRows(emu: RunningEmulator, table: string): Promise<unknown[][]> {
  const res = await send(emu, `${table}/rows`);
  expect(res.status).toBe(200);
  const text = await res.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** The table's variables as `name:type`. */
export async function variables(emu: RunningEmulator, table: string): Promise<string[]> {
  const r = await sendJson(emu, `${table}/variables?maxResults=1000`);
  expect(r.status).toBe(200);
  return r.body.results.map((v: { name: string; type: string }) => `${v.name}:${v.type}`);
}

/** The table's rows through a read session, decoded as Arrow (exact types), as plain objects. */
export async function arrowRows(emu: RunningEmulator, table: string): Promise<Record<string, unknown>[]> {
  const s = await sendJson(emu, `${table}/readSessions`, { json: { format: 'arrow' } });
  expect(s.status, JSON.stringify(s.body)).toBe(200);
  const out: Record<string, unknown>[] = [];
  for (const stream of s.body.streams) {
    const res = await send(emu, `/readStreams/${stream.id}`);
    expect(res.status).toBe(200);
    const t = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    for (const row of t) out.push(row.toJSON());
  }
  return out;
}

/**
 * Sends `bytes` to a resumable temp-upload slot in two chunks, as the Python client does for large files: start a
 * session, PUT the first half (308), then the rest (200).
 */
export async function sendInTwoChunks(
  emu: RunningEmulator,
  slotUrl: string,
  bytes: Uint8Array,
): Promise<void> {
  const start = await send(emu, slotUrl, {
    method: 'POST',
    headers: { 'x-goog-resumable': 'start', 'x-upload-content-length': String(bytes.length) },
  });
  const session = start.headers.get('Location') as string;
  const half = Math.floor(bytes.length / 2);
  const first = await send(emu, session, {
    method: 'PUT',
    body: bytes.subarray(0, half),
    headers: { 'Content-Range': `bytes 0-${half - 1}/${bytes.length}` },
  });
  expect(first.status).toBe(308);
  const last = await send(emu, session, {
    method: 'PUT',
    body: bytes.subarray(half),
    headers: { 'Content-Range': `bytes ${half}-${bytes.length - 1}/${bytes.length}` },
  });
  expect(last.status).toBe(200);
}
