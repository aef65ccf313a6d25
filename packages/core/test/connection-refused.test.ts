import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, type RetryInfo } from '../src/client/index.js';
import { ConnectionRefusedError, NetworkError } from '../src/errors/index.js';
import { rejectionOf } from './helpers/rejection.js';
import { startServer, type TestServer } from './helpers/server.js';

// A wrong port or a server not started must not cost ~40 s of patient retries: a refusal is retried once, shortly,
// and then reported as ConnectionRefusedError naming the endpoint. Resets, 429 and 503 keep the patient policy.
const TOKEN = 'rdv_connection_refused_secret_token';

/**
 * A port on 127.0.0.1 that nothing listens on: port 2, privileged, outside the range the OS hands out, and not on
 * fetch's list of blocked ports (port 1 is). A port bound by the OS and released was not safe: on a busy machine
 * another process's server could be given it before the tests connected, and they then reached that server.
 */
const port = 2;
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('a refused connection', () => {
  it('with default settings fails after one short retry with a typed error naming the endpoint', async () => {
    const retries: RetryInfo[] = [];
    const transport = createTransport({
      baseUrl: `http://127.0.0.1:${port}/api/v1`,
      apiToken: TOKEN,
      retry: { onRetry: (info) => retries.push(info) },
    });
    const error = await rejectionOf(transport.request({ path: '/users/me', query: { access_token: TOKEN } }));
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as ConnectionRefusedError).endpoint).toBe(`http://127.0.0.1:${port}`);
    expect(error.code).toBe('connection_refused');
    expect(error.message).toContain(`Connection refused by http://127.0.0.1:${port}`);
    // One retry, and its delay is the first backoff step (≤ initialDelayMs = 500 ms), not the 20 s ceiling.
    expect(retries).toHaveLength(1);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(500);
    expect(retries[0]?.error).toBeInstanceOf(ConnectionRefusedError);
    const rendered = [error.message, String(error), JSON.stringify(error), error.url ?? ''].join('\n');
    expect(rendered).not.toContain(TOKEN);
  });

  it('retries connectionRefusedLimit times when asked (for a server that is still starting), never above limit', async () => {
    const count = async (retry: Record<string, unknown>) => {
      const retries: RetryInfo[] = [];
      const transport = createTransport({
        baseUrl: `http://127.0.0.1:${port}`,
        retry: { initialDelayMs: 1, backoffLimitMs: 2, ...retry, onRetry: (i) => retries.push(i) },
      });
      await expect(transport.request({ path: '/x' })).rejects.toBeInstanceOf(ConnectionRefusedError);
      return retries.length;
    };
    expect(await count({ connectionRefusedLimit: 3 })).toBe(3);
    expect(await count({ connectionRefusedLimit: 5, limit: 2 })).toBe(2);
    expect(await count({ connectionRefusedLimit: 0 })).toBe(0);
    await expect(
      createTransport({ baseUrl: `http://127.0.0.1:${port}`, retry: false }).request({ path: '/x' }),
    ).rejects.toBeInstanceOf(ConnectionRefusedError);
  });

  it('keeps patient retries for a connection reset (a plain NetworkError)', async () => {
    server.reset((_req, res) => res.socket?.destroy());
    const retries: RetryInfo[] = [];
    const transport = createTransport({
      baseUrl: server.baseUrl,
      retry: { initialDelayMs: 1, backoffLimitMs: 2, limit: 4, onRetry: (i) => retries.push(i) },
    });
    const error = await rejectionOf(transport.request({ path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(ConnectionRefusedError);
    expect(retries).toHaveLength(4);
  });

  it('is a plain NetworkError when fetch does not say why (browsers)', async () => {
    const transport = createTransport({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { initialDelayMs: 1, backoffLimitMs: 2, limit: 2 },
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const error = await rejectionOf(transport.request({ path: '/x' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).not.toBeInstanceOf(ConnectionRefusedError);
  });
});
