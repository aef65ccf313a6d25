import type { RedivisTransport } from '../client/client.js';
import { validate, validationError } from '../client/body.js';
import { RedivisError } from '../errors/index.js';
import type { Page, PagePromise, PaginateSpec } from './types.js';

/** Default items per page request. */
export const DEFAULT_PAGE_SIZE = 100;

function checkCount(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

async function fetchPage<T>(
  client: RedivisTransport,
  spec: PaginateSpec<T>,
  pageToken: string | undefined,
  fetched: number,
): Promise<Page<T>> {
  const pageSize = spec.pageSize ?? DEFAULT_PAGE_SIZE;
  const remaining = spec.maxResults === undefined ? Number.POSITIVE_INFINITY : spec.maxResults - fetched;
  if (remaining <= 0) return makePage(client, spec, [], null, pageToken, fetched);
  const { path, query, schema, pageSize: _p, maxResults: _m, ...call } = spec;
  const body = await client.request<unknown>({
    ...call,
    method: 'GET',
    path,
    query: { ...query, maxResults: Math.min(pageSize, remaining), pageToken },
  });
  const context = { method: 'GET', url: path };
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { results?: unknown }).results)) {
    throw validationError(
      [{ message: 'Expected a list envelope with a results array', path: ['results'] }],
      context,
    );
  }
  const envelope = body as { results: unknown[]; nextPageToken?: unknown };
  const token = envelope.nextPageToken;
  if (token !== undefined && token !== null && typeof token !== 'string' && typeof token !== 'number') {
    throw validationError([{ message: 'Expected a string or null', path: ['nextPageToken'] }], context);
  }
  // The server may overshoot the requested maxResults; the cap is a cap.
  const raw = envelope.results.slice(0, remaining);
  const results = schema
    ? raw.map((item, i) => validate(item, schema, context, ['results', i]))
    : (raw as T[]);
  return makePage(client, spec, results, token ? String(token) : null, pageToken, fetched + results.length);
}

function makePage<T>(
  client: RedivisTransport,
  spec: PaginateSpec<T>,
  results: T[],
  nextPageToken: string | null,
  usedToken: string | undefined,
  fetched: number,
): Page<T> {
  const capped = spec.maxResults !== undefined && fetched >= spec.maxResults;
  const hasNextPage = () => nextPageToken !== null && !capped;
  return {
    results,
    nextPageToken,
    hasNextPage,
    getNextPage: async () => {
      if (!hasNextPage())
        throw new RedivisError({ description: 'There is no next page', code: 'no_next_page' });
      if (nextPageToken === usedToken) {
        // A server returning the token it was given would make iteration loop forever.
        throw new RedivisError({
          description: `The server returned the same page token twice (${spec.path})`,
          code: 'pagination_loop',
        });
      }
      return fetchPage(client, spec, nextPageToken ?? undefined, fetched);
    },
  };
}

class LazyPagePromise<T> implements PagePromise<T> {
  readonly [Symbol.toStringTag] = 'PagePromise';
  #first: Promise<Page<T>> | undefined;
  readonly #load: () => Promise<Page<T>>;

  constructor(load: () => Promise<Page<T>>) {
    this.#load = load;
  }

  #firstPage(): Promise<Page<T>> {
    this.#first ??= this.#load();
    return this.#first;
  }

  // biome-ignore lint/suspicious/noThenProperty: a PagePromise is a lazy thenable by design (contract).
  then<R1 = Page<T>, R2 = never>(
    onFulfilled?: ((value: Page<T>) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstPage().then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page<T> | R> {
    return this.#firstPage().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<Page<T>> {
    return this.#firstPage().finally(onFinally);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    let page = await this.#firstPage();
    for (;;) {
      yield* page.results;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }

  async toArray(options: { limit?: number } = {}): Promise<T[]> {
    checkCount('limit', options.limit, 0);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const out: T[] = [];
    if (limit === 0) return out;
    for await (const item of this) {
      out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }
}

/**
 * Lists a collection with token pagination (`maxResults` + `pageToken` query parameters, envelope
 * `{ kind, results, nextPageToken }`). Usually called as `client.paginate(spec)`.
 *
 * @param client - The client to send page requests with.
 * @param spec - Path, query, item schema, page size and total cap.
 * @returns A lazy {@link PagePromise}.
 * @throws RangeError (synchronously) for a non-positive `pageSize` or a negative `maxResults`.
 */
export function paginate<T>(client: RedivisTransport, spec: PaginateSpec<T>): PagePromise<T> {
  checkCount('pageSize', spec.pageSize, 1);
  checkCount('maxResults', spec.maxResults, 0);
  return new LazyPagePromise(() => fetchPage(client, spec, undefined, 0));
}
