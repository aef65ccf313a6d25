import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTransport } from '../src/client/index.js';
import { VERSION } from '../src/client/version.js';
import { ResponseValidationError, TimeoutError } from '../src/errors/index.js';
import { sendJson, sendText, startServer, type TestServer } from './helpers/server.js';
import { rejectionOf } from './helpers/rejection.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const client = () => createTransport({ baseUrl: server.baseUrl, retry: false, onWarning: () => {} });

describe('configuration', () => {
  it('defaults the base URL from REDIVIS_API_ENDPOINT, else redivis.com, and derives the OAuth origin', () => {
    const saved = process.env.REDIVIS_API_ENDPOINT;
    try {
      delete process.env.REDIVIS_API_ENDPOINT;
      expect(createTransport().baseUrl).toBe('https://redivis.com/api/v1');
      expect(createTransport().oauthOrigin).toBe('https://redivis.com');
      process.env.REDIVIS_API_ENDPOINT = 'http://localhost:5555/api/v1/';
      const local = createTransport();
      expect(local.baseUrl).toBe('http://localhost:5555/api/v1');
      expect(local.oauthOrigin).toBe('http://localhost:5555');
      expect(createTransport({ baseUrl: 'https://example.org/x/api/v1' }).oauthOrigin).toBe(
        'https://example.org',
      );
    } finally {
      if (saved === undefined) delete process.env.REDIVIS_API_ENDPOINT;
      else process.env.REDIVIS_API_ENDPOINT = saved;
    }
  });

  it('rejects a base URL that is not absolute http(s)', () => {
    expect(() => createTransport({ baseUrl: 'redivis.com/api' })).toThrow(TypeError);
    expect(() => createTransport({ baseUrl: 'ftp://redivis.com/api' })).toThrow(/http or https/);
  });

  it('keeps VERSION in step with package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });
});

describe('requests', () => {
  it('sends identification, auth and caller headers; JSON body with Content-Type', async () => {
    server.reset((_req, res) => sendJson(res, 200, { ok: true }));
    const c = createTransport({
      baseUrl: server.baseUrl,
      apiToken: 'tok_abc',
      headers: { 'X-Team': 'a' },
      userAgent: 'my-app/1.0',
    });
    const result = await c.request({
      method: 'POST',
      path: '/datasets/demo.iris/tables',
      query: { maxResults: 5, exactReferences: true, skip: undefined, none: null },
      json: { name: 'x', description: null },
      headers: { 'X-Call': 'b' },
    });
    expect(result).toEqual({ ok: true });
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/datasets/demo.iris/tables');
    expect(Object.fromEntries(req.query)).toEqual({ maxResults: '5', exactReferences: 'true' });
    expect(req.headers.authorization).toBe('Bearer tok_abc');
    expect(req.headers['user-agent']).toBe('my-app/1.0');
    expect(req.headers['x-redivis-client']).toBe('redivis-ts');
    expect(req.headers['x-redivis-client-version']).toBe(VERSION);
    expect(req.headers['x-team']).toBe('a');
    expect(req.headers['x-call']).toBe('b');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body.toString())).toEqual({ name: 'x', description: null });
  });

  it('sends no body and no Content-Type without json/body, and no Authorization anonymously', async () => {
    await client().request({ method: 'POST', path: '/datasets/x/versions' });
    const [req] = server.requests;
    expect(req.body.length).toBe(0);
    expect(req.headers['content-type']).toBeUndefined();
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers['user-agent']).toMatch(/^redivis-ts\/\S+ \(Node\.js\/20/);
  });

  it('returns undefined for an OK text body and an empty body', async () => {
    server.reset((_req, res, n) => (n === 0 ? sendText(res, 200, 'OK') : res.writeHead(200).end()));
    expect(await client().request({ method: 'DELETE', path: '/datasets/x' })).toBeUndefined();
    expect(await client().request({ method: 'DELETE', path: '/datasets/x' })).toBeUndefined();
  });

  it('reads text, bytes and an unread stream', async () => {
    server.reset((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.from([0, 1, 2, 255]));
    });
    expect(await client().requestBytes({ path: '/f' })).toEqual(new Uint8Array([0, 1, 2, 255]));
    const response = await client().requestStream({ path: '/f' });
    expect(response.bodyUsed).toBe(false);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0, 1, 2, 255]));
    server.reset((_req, res) => sendText(res, 200, 'a,b\n1,2\n'));
    expect(await client().requestText({ path: '/t' })).toBe('a,b\n1,2\n');
  });

  it('sends bodies from bytes, blobs and streams', async () => {
    server.reset((req, res) => sendJson(res, 200, { size: req.body.length }));
    const c = client();
    const bytes = new Uint8Array([1, 2, 3]);
    expect(await c.request({ method: 'PUT', path: '/u', body: bytes })).toEqual({ size: 3 });
    const blob = new Blob(['hello'], { type: 'text/csv' });
    expect(await c.request({ method: 'PUT', path: '/u', body: blob })).toEqual({ size: 5 });
    expect(server.requests[1].headers['content-type']).toBe('text/csv');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(1000));
        controller.enqueue(new Uint8Array(24));
        controller.close();
      },
    });
    expect(await c.request({ method: 'POST', path: '/u', body: stream })).toEqual({ size: 1024 });
    expect(server.requests[2].body.equals(Buffer.alloc(1024))).toBe(true);
  });

  it('rejects a body on GET and both json and body', async () => {
    await expect(client().request({ path: '/x', json: {} })).rejects.toThrow(TypeError);
    await expect(client().request({ method: 'POST', path: '/x', json: {}, body: 'a' })).rejects.toThrow(
      TypeError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('accepts an absolute URL as path and an injected fetch', async () => {
    const seen: string[] = [];
    const c = createTransport({
      baseUrl: 'https://unused.invalid/api/v1',
      fetch: (input, init) => {
        seen.push(input instanceof Request ? input.url : String(input));
        return fetch(input, init);
      },
    });
    await c.request({ path: `${server.origin}/elsewhere?a=1`, query: { b: 2 } });
    expect(seen).toEqual([`${server.origin}/elsewhere?a=1&b=2`]);
  });
});

describe('warnings', () => {
  it('reports each distinct X-Redivis-Warning once, shared with derived clients', async () => {
    server.reset((_req, res, n) =>
      sendJson(res, 200, {}, { 'X-Redivis-Warning': n < 3 ? 'deprecated' : 'other' }),
    );
    const warnings: string[] = [];
    const c = createTransport({ baseUrl: server.baseUrl, onWarning: (m) => warnings.push(m) });
    await c.request({ path: '/a' });
    await c.request({ path: '/a' });
    await c.withOptions({ headers: { x: 'y' } }).request({ path: '/a' });
    await c.request({ path: '/a' });
    expect(warnings).toEqual(['deprecated', 'other']);
    const fresh: string[] = [];
    await createTransport({ baseUrl: server.baseUrl, onWarning: (m) => fresh.push(m) }).request({
      path: '/a',
    });
    expect(fresh).toEqual(['other']);
  });
});

describe('schema validation', () => {
  const dataset = z.object({ name: z.string(), tables: z.array(z.object({ numRows: z.number() })) }).loose();

  it('returns the parsed value and keeps unknown fields', async () => {
    server.reset((_req, res) => sendJson(res, 200, { name: 'iris', tables: [{ numRows: 150 }], extra: 1 }));
    const result = await client().request({ path: '/d', schema: dataset });
    expect(result).toEqual({ name: 'iris', tables: [{ numRows: 150 }], extra: 1 });
  });

  it('throws ResponseValidationError naming the failing field', async () => {
    server.reset((_req, res) =>
      sendJson(res, 200, { name: 'iris', tables: [{ numRows: 1 }, { numRows: '150' }] }),
    );
    const error = await rejectionOf(client().request({ path: '/d', schema: dataset }));
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.path).toBe('tables[1].numRows');
    expect(error.message).toContain('tables[1].numRows');
    expect(error.issues[0].path).toEqual(['tables', 1, 'numRows']);
  });

  it('throws ResponseValidationError for a non-JSON success body', async () => {
    server.reset((_req, res) => sendText(res, 200, '<html>login</html>'));
    await expect(client().request({ path: '/d' })).rejects.toBeInstanceOf(ResponseValidationError);
  });
});

describe('timeout', () => {
  it('throws TimeoutError when the server does not answer in time', async () => {
    server.reset(() => {}); // never answers; close() drops the socket
    const error = await rejectionOf(client().request({ path: '/slow', timeout: 50 }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.method).toBe('GET');
  });

  it('covers a body that stalls after the headers', async () => {
    server.reset((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
    });
    await expect(client().request({ path: '/stall', timeout: 100 })).rejects.toBeInstanceOf(TimeoutError);
  });
});
