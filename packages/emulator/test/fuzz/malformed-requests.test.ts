import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { ADMIN } from '../contract-helpers.js';

/**
 * Malformed requests to every route of the emulator's router (read from the Hono app itself, so a new route is
 * covered the day it is added): hostile path parameters, bad JSON, wrong content types, bad encodings, bodies over
 * the limit and oversized headers. Every answer must be a documented client error in the API's envelope, and the
 * data dir must be byte-for-byte what it was.
 */

const JSON_LIMIT = 64 * 1024;
/** Statuses the emulator documents for a request it refuses (README: Errors, Limits, raw file ranges). */
const DOCUMENTED = [400, 401, 403, 404, 405, 409, 413, 415, 416, 431];

let emu: RunningEmulator;
let routes: { method: string; path: string }[];
beforeAll(async () => {
  emu = await startEmulator({
    seed: 'demo',
    seedRows: 10,
    rateLimit: false,
    bodyLimits: { json: JSON_LIMIT, upload: 4 * JSON_LIMIT },
  });
  const seen = new Set<string>();
  routes = createApp(emu.ctx)
    .routes.filter((r) => r.method !== 'ALL')
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      return !seen.has(key) && seen.add(key);
    });
});
afterAll(() => emu.stop());

/** Every file under the data dir with a hash of its bytes. */
async function digest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

/** Path parameters no resource has: traversal, broken or overlong encodings, NUL, huge, SQL-ish, wildcards. */
const HOSTILE_PARAMS = [
  '..',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e',
  '%ZZ%',
  '%C0%AE%C0%AE%C0%AF',
  '%00',
  'x'.repeat(5000),
  "demo.iris'%3B%20DROP%20TABLE%20users%3B--",
  '%E2%80%AEdemo.iris',
  '*',
  '%FF%FE',
];

interface Malformation {
  name: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const MALFORMED_BODIES: Malformation[] = [
  { name: 'bad JSON', headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{"name": "x",') },
  { name: 'JSON array', headers: { 'Content-Type': 'application/json' }, body: Buffer.from('[1,2,3]') },
  { name: 'wrong type', headers: { 'Content-Type': 'text/xml' }, body: Buffer.from('<name>x</name>') },
  {
    name: 'invalid UTF-8',
    headers: { 'Content-Type': 'application/json' },
    body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x7d]),
  },
  {
    name: 'UTF-16',
    headers: { 'Content-Type': 'application/json; charset=utf-16le' },
    body: Buffer.from('{"name":"x"}', 'utf16le'),
  },
  {
    name: 'fake gzip',
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    body: Buffer.from('{"name":"x"}'),
  },
  {
    name: 'multipart without boundary',
    headers: { 'Content-Type': 'multipart/form-data' },
    body: Buffer.from('--x'),
  },
  {
    name: 'over the body limit',
    headers: { 'Content-Type': 'application/json' },
    body: Buffer.from(`{"name":"${'a'.repeat(5 * JSON_LIMIT)}"}`),
  },
];

interface Answer {
  status: number;
  contentType: string;
  location: string;
  body: string;
}

/** A raw HTTP request: the path goes on the wire exactly as given (fetch would normalize `..` and encodings). */
function send(method: string, path: string, m: Malformation, token: string | null = ADMIN): Promise<Answer> {
  const url = new URL(emu.origin);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...m.headers,
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(m.body ? { 'Content-Length': String(m.body.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            location: String(res.headers.location ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    // A server that answers early (413) may close before the whole body is written: that is its right.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET'
        ? resolve({ status: -1, contentType: '', location: '', body: '' })
        : reject(e),
    );
    req.end(m.body);
  });
}

function fill(path: string, value: string): string {
  return path.replace(/:[A-Za-z]+(\{[^}]*\})?\??/g, value).replace(/\*/g, value);
}

function expectDocumentedRefusal(what: string, method: string, answer: Answer) {
  // -1: the server closed the connection after answering 413 before our body was fully written.
  if (answer.status === -1) return;
  // Site pages (outside /api/v1) send a signed-out browser to the login page (README: OAuth and tokens).
  if (answer.status === 302 && answer.location.startsWith('/login')) return;
  expect(DOCUMENTED, `${what}: ${answer.status} ${answer.body.slice(0, 300)}`).toContain(answer.status);
  if (method !== 'HEAD' && answer.contentType.includes('application/json')) {
    const body = JSON.parse(answer.body);
    expect(typeof body.error, what).toBe('string');
  }
}

describe('malformed requests to every route', () => {
  it('derives the routes from the router (the API, OAuth, settings and temp upload routes)', () => {
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/tables/:tableRef/uploads',
        '/oauth/token',
        '/tempUploads/:tempUploadId',
      ]),
    );
  });

  it('hostile path parameters: a documented 4xx in the error envelope; the data dir unchanged', async () => {
    const before = await digest(emu.ctx.dataDir);
    let sent = 0;
    for (const route of routes.filter((r) => r.path.includes(':'))) {
      for (const [i, param] of HOSTILE_PARAMS.entries()) {
        const m = MALFORMED_BODIES[(i + sent) % MALFORMED_BODIES.length] as Malformation;
        const what = `${route.method} ${route.path} with ${param.slice(0, 40)} and ${m.name}`;
        expectDocumentedRefusal(what, route.method, await send(route.method, fill(route.path, param), m));
        sent++;
      }
    }
    expect(sent).toBeGreaterThan(800);
    expect(await digest(emu.ctx.dataDir)).toEqual(before);
  }, 300_000);

  it('malformed bodies on the real resources: never a 5xx, and bodies that are not JSON are never taken as JSON', async () => {
    const real: Record<string, string> = {
      organizationName: 'demo',
      orgName: 'demo',
      userName: 'nobody_here',
      datasetRef: 'demo.nonexistent_dataset',
      workflowRef: 'demo_admin.nonexistent_workflow',
      tableRef: 'demo.nonexistent_dataset.t',
      tag: 'v9_9',
    };
    const before = await digest(emu.ctx.dataDir);
    for (const route of routes.filter((r) => ['POST', 'PATCH', 'PUT'].includes(r.method))) {
      const path = route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => real[name] ?? 'nonexistent');
      for (const m of MALFORMED_BODIES) {
        const answer = await send(route.method, path, m);
        expect(
          answer.status,
          `${route.method} ${path} with ${m.name}: ${answer.body.slice(0, 300)}`,
        ).toBeLessThan(500);
        // None of these bodies is a valid request body, so nothing can have been created from one.
        expect(
          [200, 201],
          `${route.method} ${path} with ${m.name}: ${answer.body.slice(0, 300)}`,
        ).not.toContain(answer.status);
      }
    }
    expect(await digest(emu.ctx.dataDir)).toEqual(before);
  }, 300_000);

  it('an oversized header is refused (431) before any route runs, and the server keeps serving', async () => {
    const huge = { name: 'huge header', headers: { 'X-Padding': 'p'.repeat(64 * 1024) } };
    const answer = await send('GET', '/api/v1/users/me', huge);
    expect([431, -1]).toContain(answer.status);
    expect((await send('GET', '/api/v1/users/me', { name: 'plain', headers: {} })).status).toBe(200);
  });
});
