import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTransport } from '../src/client/index.js';
import { isRedivisError, NetworkError, RedivisError, redact } from '../src/errors/index.js';
import { sendJson, startServer, type TestServer } from './helpers/server.js';
import { rejectionOf } from './helpers/rejection.js';

const TOKEN = 'AAAA.secret-token-value_1234567890';
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function everyRendering(error: unknown): string {
  const e = error as Error;
  return [
    e.message,
    String(e.stack),
    JSON.stringify(e),
    inspect(e, { depth: 10, showHidden: true }),
    inspect(e.cause, { depth: 10, showHidden: true }),
    String(e),
  ].join('\n');
}

describe('token redaction', () => {
  it('removes a token the server echoes into the error body', async () => {
    server.reset((req, res) =>
      sendJson(res, 401, {
        error: 'invalid_token',
        error_description: `Token ${TOKEN} is not valid (you sent "${req.headers.authorization}")`,
        status: 401,
        details: { echoed: TOKEN },
      }),
    );
    const error = await rejectionOf(
      createTransport({ baseUrl: server.baseUrl, apiToken: TOKEN }).request({ path: '/me' }),
    );
    expect(isRedivisError(error)).toBe(true);
    expect(error.status).toBe(401);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(error.description).toContain('[REDACTED]');
    const all = everyRendering(error);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(TOKEN.slice(5));
  });

  it('removes tokens from the URL and from a cause thrown by an injected fetch', async () => {
    const error = await rejectionOf(
      createTransport({
        baseUrl: server.baseUrl,
        apiToken: TOKEN,
        retry: false,
        fetch: async (input) => {
          const request = input as Request;
          throw new TypeError(`proxy refused ${request.url} with ${request.headers.get('authorization')}`, {
            cause: new Error(`upstream saw Bearer ${TOKEN}`),
          });
        },
      }).request({ path: '/x', query: { access_token: TOKEN } }),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.url).toContain('access_token=');
    const all = everyRendering(error);
    expect(all).toContain('proxy refused');
    expect(all).not.toContain(TOKEN);
  });

  it('removes an Authorization header passed per call and keeps no request object on the error', async () => {
    server.reset((req, res) =>
      sendJson(res, 403, { error: 'forbidden', error_description: String(req.headers.authorization) }),
    );
    const error = await rejectionOf(
      createTransport({ baseUrl: server.baseUrl }).request({
        path: '/x',
        headers: { Authorization: `Bearer ${TOKEN}` },
      }),
    );
    expect(error.status).toBe(403);
    expect(everyRendering(error)).not.toContain(TOKEN);
    expect(Object.values(error).some((v) => v instanceof Request || v instanceof Headers)).toBe(false);
  });

  it('does not expose the configured token on the client object', () => {
    const client = createTransport({ baseUrl: server.baseUrl, apiToken: TOKEN });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TOKEN);
    expect(JSON.stringify(client)).not.toContain(TOKEN);
  });

  it('redacts bearer credentials and token fields it was not told about', () => {
    expect(redact('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [REDACTED]');
    expect(redact('https://x/?a=1&access_token=abc&b=2')).toBe('https://x/?a=1&access_token=[REDACTED]&b=2');
    expect(redact('{"refresh_token":"r1","x":1}')).toBe('{"refresh_token":"[REDACTED]","x":1}');
    const error = new RedivisError({
      description: `got ${TOKEN}`,
      secrets: [TOKEN],
      cause: new Error(TOKEN),
    });
    expect(everyRendering(error)).not.toContain(TOKEN);
  });

  it('redacts token values after Bearer but not prose that quotes the header format', () => {
    const prose = 'The Authorization header must be "Bearer <token>"; a Bearer token is required.';
    expect(redact(prose)).toBe(prose);
    expect(redact('Bearer rdv_demo_alice_token, then')).toBe('Bearer [REDACTED], then');
    expect(redact('Bearer abcdefghijklmnopqrstuvwxyz.')).toBe('Bearer [REDACTED].');
    expect(redact('bearer eyJhbGciOi.eyJzdWIi.c2ln==')).toBe('bearer [REDACTED]');
    expect(redact('Authorization: Bearer s3cret')).toBe('Authorization: Bearer [REDACTED]');
  });
});
