import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransport } from '../src/client/index.js';
import {
  BadRequestError,
  ConflictError,
  InsufficientScopeError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from '../src/errors/index.js';
import { rejectionOf } from './helpers/rejection.js';
import { sendJson, sendText, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const client = () => createTransport({ baseUrl: server.baseUrl, retry: false });

describe('error responses over HTTP', () => {
  it('maps the OAuth-style body with request id, method and URL', async () => {
    server.reset((_req, res) =>
      sendJson(
        res,
        404,
        { error: 'not_found', error_description: 'Dataset demo.nope not found', status: 404 },
        { 'x-cloud-trace-context': 'trace-9/1;o=1' },
      ),
    );
    const error = await rejectionOf(client().request({ path: '/datasets/demo.nope' }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe('[404 not_found] Dataset demo.nope not found');
    expect(error.requestId).toBe('trace-9');
    expect(error.method).toBe('GET');
    expect(error.url).toBe(`${server.baseUrl}/datasets/demo.nope`);
  });

  it('maps the nested {error: {message, status}} shape', async () => {
    server.reset((_req, res) => sendJson(res, 409, { error: { message: 'Name taken', status: 409 } }));
    const error = await rejectionOf(client().request({ method: 'POST', path: '/datasets', json: {} }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.description).toBe('Name taken');
  });

  it('maps insufficient_scope with its scopes', async () => {
    server.reset((_req, res) =>
      sendJson(res, 403, { error: 'insufficient_scope', error_description: 'x', scope: 'data.edit' }),
    );
    const error = await rejectionOf(client().request({ path: '/x' }));
    expect(error).toBeInstanceOf(InsufficientScopeError);
    expect(error.scope).toEqual(['data.edit']);
  });

  it('keeps a non-JSON error body as the description', async () => {
    server.reset((_req, res) => sendText(res, 400, 'Bad things happened'));
    const error = await rejectionOf(client().requestText({ path: '/x' }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.description).toBe('Bad things happened');
  });

  it('reads X-Redivis-Error-Payload on a HEAD error, and returns undefined for a HEAD success', async () => {
    const payload = encodeURIComponent(
      JSON.stringify({ error: 'not_found', error_description: 'No file named a b.csv', status: 404 }),
    );
    server.reset((_req, res) => res.writeHead(404, { 'X-Redivis-Error-Payload': payload }).end());
    const error = await rejectionOf(client().request({ method: 'HEAD', path: '/files/x' }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.description).toBe('No file named a b.csv');
    server.reset((_req, res) => res.writeHead(200, { 'content-length': '10' }).end());
    expect(await client().request({ method: 'HEAD', path: '/files/x' })).toBeUndefined();
  });

  it('maps 429 and 5xx after retries are off, and errors from requestStream and requestBytes', async () => {
    server.reset((_req, res) => sendJson(res, 429, { error: 'rate_limit_exceeded' }, { 'Retry-After': '2' }));
    const limited = await rejectionOf(client().requestStream({ path: '/x' }));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.retryAfterMs).toBe(2000);
    server.reset((_req, res) => sendText(res, 502, ''));
    const gateway = await rejectionOf(client().requestBytes({ path: '/x' }));
    expect(gateway).toBeInstanceOf(ServerError);
    expect(gateway.description).toBe('Bad Gateway');
  });
});
