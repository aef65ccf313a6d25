import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransport, type RetryInfo, type RetryOptions } from '../src/client/index.js';
import { backoffDelay, retryDelay } from '../src/client/retry.js';
import { callOptionsOf } from '../src/client/call-options.js';
import { DEFAULT_RETRY } from '../src/client/retry.js';
import { NetworkError, RateLimitError, ServerError } from '../src/errors/index.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { rejectionOf } from './helpers/rejection.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

// Tiny backoff so tests stay fast; Retry-After values are still honoured as sent.
const fast: RetryOptions = { initialDelayMs: 1, backoffLimitMs: 5 };
const client = (retry: RetryOptions = {}) =>
  createTransport({ baseUrl: server.baseUrl, retry: { ...fast, ...retry }, onWarning: () => {} });

const busy = {
  error: 'rate_limit_exceeded',
  error_description: 'Too many requests, please try again later.',
};

describe('retries', () => {
  it('retries a 429 after Retry-After seconds', async () => {
    server.reset((_req, res, n) =>
      n === 0 ? sendJson(res, 429, busy, { 'Retry-After': '1' }) : sendJson(res, 200, { n }),
    );
    const retries: RetryInfo[] = [];
    expect(await client({ onRetry: (i) => retries.push(i) }).request({ path: '/x' })).toEqual({ n: 1 });
    expect(retries.map((r) => r.delayMs)).toEqual([1000]);
    expect(retries[0].error).toBeInstanceOf(RateLimitError);
    // The sleep cannot be shorter than asked (a lower bound, not a speed measurement).
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(990);
  });

  it('retries a 429 after a Retry-After HTTP-date', async () => {
    server.reset((_req, res, n) => {
      if (n > 0) return sendJson(res, 200, { n });
      sendJson(res, 429, busy, { 'Retry-After': new Date(Date.now() + 2000).toUTCString() });
    });
    const retries: RetryInfo[] = [];
    await client({ onRetry: (i) => retries.push(i) }).request({ path: '/x' });
    expect(retries).toHaveLength(1);
    // Second precision of HTTP-dates: somewhere in (0, 2] s, but clearly not the 1–5 ms backoff.
    expect(retries[0].delayMs).toBeGreaterThan(5);
    expect(retries[0].delayMs).toBeLessThanOrEqual(2000);
  });

  it('does not wait out a Retry-After above maxRetryAfterMs', async () => {
    server.reset((_req, res) => sendJson(res, 429, busy, { 'Retry-After': '3600' }));
    const error = await rejectionOf(client({ maxRetryAfterMs: 10_000 }).request({ path: '/x' }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 503 then succeeds; gives up after limit', async () => {
    server.reset((_req, res, n) =>
      n < 2 ? sendJson(res, 503, { error: 'unavailable' }) : sendJson(res, 200, { n }),
    );
    expect(await client().request({ path: '/x' })).toEqual({ n: 2 });
    server.reset((_req, res) => sendJson(res, 503, { error: 'unavailable', error_description: 'down' }));
    const error = await rejectionOf(client({ limit: 3 }).request({ path: '/x' }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(503);
    expect(server.requests).toHaveLength(4);
  });

  it('retries other 5xx at most serverErrorLimit times, and never 4xx', async () => {
    server.reset((_req, res) => sendJson(res, 500, { error: 'internal_error' }));
    await expect(client({ serverErrorLimit: 1 }).request({ path: '/x' })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(2);
    server.reset((_req, res) => sendJson(res, 404, { error: 'not_found' }));
    await expect(client().request({ path: '/x' })).rejects.toMatchObject({ status: 404 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 408', async () => {
    server.reset((_req, res, n) => (n === 0 ? sendJson(res, 408, {}) : sendJson(res, 200, {})));
    await client().request({ path: '/x' });
    expect(server.requests).toHaveLength(2);
  });

  it('retries a connection dropped in the middle of a JSON body', async () => {
    server.reset((_req, res, n) => {
      if (n > 0) return sendJson(res, 200, { complete: true });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"results":[1,2,3', () => res.socket?.destroy());
    });
    expect(await client().request({ path: '/x' })).toEqual({ complete: true });
    expect(server.requests).toHaveLength(2);
  });

  it('throws NetworkError after exhausting retries on a dropped connection', async () => {
    server.reset((_req, res) => res.socket?.destroy());
    const error = await rejectionOf(client({ limit: 2 }).request({ path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry POST (unless idempotent: true) or when retry is false', async () => {
    server.reset((_req, res) => sendJson(res, 503, {}));
    await expect(client().request({ method: 'POST', path: '/x', json: {} })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(server.requests).toHaveLength(1);
    await expect(client().request({ method: 'PATCH', path: '/x', json: {} })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(server.requests).toHaveLength(2);
    await expect(client().request({ path: '/x', retry: false })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(3);

    server.reset((_req, res, n) => (n === 0 ? sendJson(res, 503, {}) : sendJson(res, 200, { n })));
    expect(await client().request({ method: 'POST', path: '/x', json: { a: 1 }, idempotent: true })).toEqual({
      n: 1,
    });
    expect(server.requests.map((r) => r.body.toString())).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('retries a POST or PATCH after a 429 (refused unprocessed), but not after a 503', async () => {
    server.reset((_req, res, n) =>
      n === 0 ? sendJson(res, 429, busy, { 'Retry-After': '0' }) : sendJson(res, 200, { n }),
    );
    expect(await client().request({ method: 'POST', path: '/x', json: { a: 1 } })).toEqual({ n: 1 });
    expect(server.requests.map((r) => `${r.method} ${r.body.toString()}`)).toEqual([
      'POST {"a":1}',
      'POST {"a":1}',
    ]);
    server.reset((_req, res, n) => (n === 0 ? sendJson(res, 429, busy) : sendJson(res, 200, { n })));
    expect(await client().request({ method: 'PATCH', path: '/x', json: {} })).toEqual({ n: 1 });
    // retry: false and a consumed stream body still win; a 503 on a POST may have been processed.
    server.reset((_req, res) => sendJson(res, 429, busy, { 'Retry-After': '0' }));
    await expect(
      client().request({ method: 'POST', path: '/x', json: {}, retry: false }),
    ).rejects.toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(1);
    const once = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(3));
        controller.close();
      },
    });
    await expect(client().request({ method: 'POST', path: '/x', body: once })).rejects.toBeInstanceOf(
      RateLimitError,
    );
    expect(server.requests).toHaveLength(2);
    server.reset((_req, res) => sendJson(res, 503, {}));
    await expect(client().request({ method: 'POST', path: '/x', json: {} })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('replays byte bodies but never a consumed stream body', async () => {
    server.reset((req, res, n) =>
      n === 0 ? sendJson(res, 503, {}) : sendJson(res, 200, { size: req.body.length }),
    );
    expect(await client().request({ method: 'PUT', path: '/u', body: new Uint8Array(10) })).toEqual({
      size: 10,
    });
    expect(server.requests.map((r) => r.body.length)).toEqual([10, 10]);

    server.reset((req, res, n) =>
      n === 0 ? sendJson(res, 503, {}) : sendJson(res, 200, { size: req.body.length }),
    );
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.close();
      },
    });
    await expect(client().request({ method: 'PUT', path: '/u', body: stream })).rejects.toBeInstanceOf(
      ServerError,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('abort', () => {
  it('rejects with the signal reason when aborted during a request', async () => {
    server.reset(() => {}); // hang
    const controller = new AbortController();
    const pending = client().request({ path: '/x', signal: controller.signal });
    await waitUntil(() => server.requests.length === 1);
    controller.abort();
    const error = await rejectionOf(pending);
    expect(error).toBeInstanceOf(DOMException);
    expect(error.name).toBe('AbortError');
  });

  it('rejects at once when aborted during the backoff sleep', async () => {
    server.reset((_req, res) => sendJson(res, 503, {}, { 'Retry-After': '30' }));
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pending = client({
      onRetry: () => queueMicrotask(() => controller.abort(reason)),
    }).request({ path: '/x', signal: controller.signal });
    // Without the abort this would sleep 30 s and exceed the test timeout.
    await expect(pending).rejects.toBe(reason);
    expect(server.requests).toHaveLength(1);
  });

  it('does not send anything when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(client().request({ path: '/x', signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('retryDelay', () => {
  it('uses full jitter under an exponential ceiling capped at backoffLimitMs', () => {
    const options = { ...DEFAULT_RETRY, initialDelayMs: 100, backoffLimitMs: 1000 };
    const error = new ServerError({ description: 'x', status: 503 });
    expect(retryDelay(error, 0, options, undefined, () => 0.999)).toBe(99);
    expect(retryDelay(error, 3, options, undefined, () => 0.5)).toBe(400);
    expect(retryDelay(error, 8, options, undefined, () => 0.999)).toBe(999);
    expect(retryDelay(error, 0, options, undefined, () => 0)).toBe(0);
    expect(retryDelay(error, 0, { ...options, jitter: false })).toBe(100);
    expect(retryDelay(error, 10, options)).toBeUndefined();
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('backoffDelay (the one backoff formula)', () => {
  const options = { initialDelayMs: 100, backoffLimitMs: 1000, jitter: true };
  it('doubles from initialDelayMs, caps at backoffLimitMs, and draws full jitter below the ceiling', () => {
    expect(backoffDelay(0, options, () => 0.999)).toBe(99);
    expect(backoffDelay(2, options, () => 0.5)).toBe(200);
    expect(backoffDelay(10, options, () => 0.999)).toBe(999);
    expect(backoffDelay(3, { ...options, jitter: false })).toBe(800);
    expect(backoffDelay(4, { ...options, jitter: false })).toBe(1000);
  });
});

describe('callOptionsOf', () => {
  it('copies exactly the call options that are present', () => {
    const signal = new AbortController().signal;
    const method = { signal, timeout: 10, retry: false as const, headers: { a: 'b' }, maxResults: 5 };
    expect(callOptionsOf(method)).toEqual({ signal, timeout: 10, retry: false, headers: { a: 'b' } });
    expect(callOptionsOf({ timeout: undefined })).toEqual({});
    expect(callOptionsOf(undefined)).toEqual({});
  });
});
