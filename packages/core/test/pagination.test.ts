import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTransport } from '../src/client/index.js';
import { isRedivisError, ResponseValidationError } from '../src/errors/index.js';
import { rejectionOf } from './helpers/rejection.js';
import { type RecordedRequest, sendJson, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

interface ListBehaviour {
  /** Return a token whenever a page is full, even at the very end (the next page is then empty). */
  tokenOnFullLastPage?: boolean;
  /** How the last page says "no more": null (default), absent key, or empty string. */
  end?: 'null' | 'absent' | 'empty';
  /** Ignore maxResults and always send this many. */
  overshoot?: number;
}

/** Serves items {id, name} 0..total-1 with offset tokens, honouring maxResults like the real API. */
function list(total: number, behaviour: ListBehaviour = {}) {
  return (req: RecordedRequest, res: ServerResponse) => {
    const offset = Number(req.query.get('pageToken') ?? 0);
    const size = behaviour.overshoot ?? Number(req.query.get('maxResults') ?? 100);
    const end = Math.min(total, offset + size);
    const results = Array.from({ length: end - offset }, (_, i) => ({
      id: offset + i,
      name: `item${offset + i}`,
    }));
    const more =
      end < total || (behaviour.tokenOnFullLastPage === true && results.length === size && size > 0);
    const body: Record<string, unknown> = { kind: 'itemList', results };
    if (more) body.nextPageToken = String(end);
    else if (behaviour.end === 'empty') body.nextPageToken = '';
    else if (behaviour.end !== 'absent') body.nextPageToken = null;
    sendJson(res, 200, body);
  };
}

const client = () => createTransport({ baseUrl: server.baseUrl, retry: false });
const item = z.object({ id: z.number(), name: z.string() });
const sizes = () => server.requests.map((r) => r.query.get('maxResults'));
const tokens = () => server.requests.map((r) => r.query.get('pageToken'));

describe('paginate', () => {
  it('handles an empty list', async () => {
    server.reset(list(0));
    const pages = client().paginate({ path: '/items', schema: item });
    const first = await pages;
    expect(first.results).toEqual([]);
    expect(first.nextPageToken).toBeNull();
    expect(first.hasNextPage()).toBe(false);
    expect(await client().paginate({ path: '/items' }).toArray()).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('sends nothing until awaited or iterated', async () => {
    client().paginate({ path: '/items' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
  });

  it('iterates every item across exact page boundaries', async () => {
    server.reset(list(200));
    const ids: number[] = [];
    for await (const it of client().paginate({
      path: '/items',
      pageSize: 100,
      schema: item,
      query: { q: 'x' },
    })) {
      ids.push(it.id);
    }
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(sizes()).toEqual(['100', '100']);
    expect(tokens()).toEqual([null, '100']);
    expect(server.requests.every((r) => r.query.get('q') === 'x')).toBe(true);
  });

  it('follows a token on a full last page to an empty final page', async () => {
    server.reset(list(20, { tokenOnFullLastPage: true }));
    expect(await client().paginate({ path: '/items', pageSize: 10 }).toArray()).toHaveLength(20);
    expect(tokens()).toEqual([null, '10', '20']);
  });

  it('stops on an absent or empty nextPageToken', async () => {
    server.reset(list(5, { end: 'absent' }));
    const page = await client().paginate({ path: '/items' });
    expect(page.nextPageToken).toBeNull();
    expect(page.hasNextPage()).toBe(false);
    server.reset(list(15, { end: 'empty' }));
    expect(await client().paginate({ path: '/items', pageSize: 10 }).toArray()).toHaveLength(15);
    expect(server.requests).toHaveLength(2);
  });

  it('caps the total with maxResults, asking only for what is still needed', async () => {
    server.reset(list(250));
    const items = await client().paginate({ path: '/items', pageSize: 100, maxResults: 150 }).toArray();
    expect(items).toHaveLength(150);
    expect(sizes()).toEqual(['100', '50']);
  });

  it('asks for maxResults when it is smaller than a page, and truncates an overshooting server', async () => {
    server.reset(list(1000));
    expect(await client().paginate({ path: '/items', maxResults: 7 }).toArray()).toHaveLength(7);
    expect(sizes()).toEqual(['7']);
    server.reset(list(1000, { overshoot: 100 }));
    const page = await client().paginate({ path: '/items', maxResults: 7 });
    expect(page.results).toHaveLength(7);
    expect(page.hasNextPage()).toBe(false);
    expect(page.nextPageToken).toBe('100');
  });

  it('makes no request for maxResults 0 and honours toArray({ limit })', async () => {
    server.reset(list(50));
    expect(await client().paginate({ path: '/items', maxResults: 0 }).toArray()).toEqual([]);
    expect(server.requests).toHaveLength(0);
    expect(await client().paginate({ path: '/items', pageSize: 10 }).toArray({ limit: 15 })).toHaveLength(15);
    expect(server.requests).toHaveLength(2);
  });

  it('walks pages by hand and refuses a next page at the end', async () => {
    server.reset(list(3));
    const first = await client().paginate({ path: '/items', pageSize: 2 });
    expect(first.results.map((r) => (r as { id: number }).id)).toEqual([0, 1]);
    expect(first.hasNextPage()).toBe(true);
    const second = await first.getNextPage();
    expect(second.results).toHaveLength(1);
    const error = await rejectionOf(second.getNextPage());
    expect(isRedivisError(error) && error.code).toBe('no_next_page');
  });

  it('names the failing item field', async () => {
    server.reset((_req, res) =>
      sendJson(res, 200, {
        kind: 'x',
        results: [
          { id: 1, name: 'a' },
          { id: 2, name: 3 },
        ],
        nextPageToken: null,
      }),
    );
    const error = await rejectionOf(client().paginate({ path: '/items', schema: item }).toArray());
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.path).toBe('results[1].name');
  });

  it('rejects a response that is not a list envelope, and a token that repeats', async () => {
    server.reset((_req, res) => sendJson(res, 200, { items: [] }));
    expect((await rejectionOf(client().paginate({ path: '/items' }))).path).toBe('results');
    server.reset((_req, res) => sendJson(res, 200, { results: [{}], nextPageToken: 'same' }));
    const error = await rejectionOf(client().paginate({ path: '/items' }).toArray());
    expect(error.code).toBe('pagination_loop');
    expect(server.requests).toHaveLength(2);
  });

  it('validates pageSize and maxResults', () => {
    expect(() => client().paginate({ path: '/items', pageSize: 0 })).toThrow(RangeError);
    expect(() => client().paginate({ path: '/items', maxResults: -1 })).toThrow(RangeError);
    expect(() => client().paginate({ path: '/items', pageSize: 1.5 })).toThrow(RangeError);
  });
});
