import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { anonymous, environmentToken, type TokenProvider, type TokenRequest } from '../src/auth/index.js';
import { createTransport } from '../src/client/index.js';
import { InsufficientScopeError, UnauthorizedError } from '../src/errors/index.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { rejectionOf } from './helpers/rejection.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** A provider that hands out `t1`, then `t2`… each time it is forced to refresh, recording every call. */
function rotatingProvider(kind: TokenProvider['kind'] = 'oauth') {
  const calls: Omit<TokenRequest, 'signal'>[] = [];
  let generation = 1;
  const provider: TokenProvider = {
    kind,
    async getToken(req = {}) {
      const { signal: _signal, ...rest } = req;
      calls.push(rest);
      if (req.forceRefresh) generation++;
      return `t${generation}`;
    },
  };
  return { provider, calls };
}

const onlyAccepts =
  (token: string) => (req: { headers: Record<string, unknown> }, res: Parameters<typeof sendJson>[0]) =>
    req.headers.authorization === `Bearer ${token}`
      ? sendJson(res, 200, { ok: true })
      : sendJson(res, 401, { error: 'invalid_token', error_description: 'expired', status: 401 });

describe('re-authentication', () => {
  it('forces a new token once after a 401 and replays the request (even a POST)', async () => {
    server.reset(onlyAccepts('t2'));
    const { provider, calls } = rotatingProvider();
    const client = createTransport({ baseUrl: server.baseUrl, tokenProvider: provider, retry: false });
    expect(await client.request({ method: 'POST', path: '/queries', json: { query: 'SELECT 1' } })).toEqual({
      ok: true,
    });
    expect(calls).toEqual([{}, { forceRefresh: true }]);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
    expect(server.requests[1].body.toString()).toBe('{"query":"SELECT 1"}');
  });

  it('passes scope and amr_values of a 403 insufficient_scope to the provider', async () => {
    server.reset((req, res) =>
      req.headers.authorization === 'Bearer t2'
        ? sendJson(res, 200, { ok: true })
        : sendJson(res, 403, {
            error: 'insufficient_scope',
            error_description: 'Needs data.edit',
            status: 403,
            scope: 'data.edit organization.write',
            amr_values: ['mfa'],
          }),
    );
    const { provider, calls } = rotatingProvider();
    await createTransport({ baseUrl: server.baseUrl, tokenProvider: provider }).request({ path: '/x' });
    expect(calls[1]).toEqual({
      forceRefresh: true,
      scope: ['data.edit', 'organization.write'],
      amrValues: ['mfa'],
    });
  });

  it('re-authenticates only once per request', async () => {
    server.reset(onlyAccepts('never'));
    const { provider, calls } = rotatingProvider();
    const error = await rejectionOf(
      createTransport({ baseUrl: server.baseUrl, tokenProvider: provider }).request({ path: '/x' }),
    );
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(server.requests).toHaveLength(2);
    expect(calls.filter((c) => c.forceRefresh)).toHaveLength(1);
  });

  it('does not re-authenticate a static token, a plain 403, or a stream body', async () => {
    server.reset(onlyAccepts('t2'));
    await expect(
      createTransport({ baseUrl: server.baseUrl, apiToken: 't1' }).request({ path: '/x' }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    const { provider: staticProvider } = rotatingProvider('static');
    await expect(
      createTransport({ baseUrl: server.baseUrl, tokenProvider: staticProvider }).request({ path: '/x' }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(server.requests).toHaveLength(2);

    server.reset((_req, res) => sendJson(res, 403, { error: 'forbidden', error_description: 'No access' }));
    const plain = rotatingProvider();
    await expect(
      createTransport({ baseUrl: server.baseUrl, tokenProvider: plain.provider }).request({ path: '/x' }),
    ).rejects.not.toBeInstanceOf(InsufficientScopeError);
    expect(plain.calls).toEqual([{}]);

    server.reset(onlyAccepts('t2'));
    const streamed = rotatingProvider();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1]));
        controller.close();
      },
    });
    await expect(
      createTransport({ baseUrl: server.baseUrl, tokenProvider: streamed.provider }).request({
        method: 'PUT',
        path: '/u',
        body,
      }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(streamed.calls).toEqual([{}]);
  });

  it('surfaces a 401 after exactly one request with the environment provider', async () => {
    server.reset(onlyAccepts('never'));
    let reads = 0;
    const env = {
      get REDIVIS_API_TOKEN() {
        reads++;
        return 'env-token';
      },
    };
    const client = createTransport({ baseUrl: server.baseUrl, tokenProvider: environmentToken(env) });
    const error = await rejectionOf(client.request({ path: '/x' }));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers.authorization).toBe('Bearer env-token');
    expect(reads).toBe(1);
  });

  it('surfaces a 401 or insufficient_scope after one request with the anonymous provider', async () => {
    server.reset(onlyAccepts('never'));
    const client = createTransport({ baseUrl: server.baseUrl, tokenProvider: anonymous() });
    expect(await rejectionOf(client.request({ path: '/x' }))).toBeInstanceOf(UnauthorizedError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers.authorization).toBeUndefined();

    server.reset((_req, res) =>
      sendJson(res, 403, {
        error: 'insufficient_scope',
        error_description: 'Needs data.edit',
        scope: 'data.edit',
      }),
    );
    const { provider, calls } = rotatingProvider('environment');
    const scoped = createTransport({ baseUrl: server.baseUrl, tokenProvider: provider });
    expect(await rejectionOf(scoped.request({ path: '/x' }))).toBeInstanceOf(InsufficientScopeError);
    expect(server.requests).toHaveLength(1);
    expect(calls).toEqual([{}]);
  });
});
