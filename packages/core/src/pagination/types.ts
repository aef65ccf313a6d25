import type { ZodType } from 'zod';
import type { CallOptions, QueryParams } from '../client/options.js';

/** A list request. */
export interface PaginateSpec<T> extends CallOptions {
  /** Path of the list endpoint, relative to the base URL (encoded), or an absolute URL. */
  path: string;
  /** Extra query parameters sent with every page (`maxResults` and `pageToken` are set by the paginator). */
  query?: QueryParams;
  /** Validates each item; a mismatch throws `ResponseValidationError` naming e.g. `results[3].name`. */
  schema?: ZodType<T>;
  /**
   * Items per request (sent as `maxResults`).
   * @defaultValue 100
   */
  pageSize?: number;
  /** Total cap on items over all pages; the last request asks only for what is still needed. */
  maxResults?: number;
}

/** One page of a list. */
export interface Page<T> {
  /** The page's items (validated; never more than the remaining `maxResults`). */
  results: T[];
  /** The server's token for the next page, `null` on the last page. */
  nextPageToken: string | null;
  /** Whether another page exists and the `maxResults` cap is not yet reached. */
  hasNextPage(): boolean;
  /**
   * Fetches the next page.
   * @throws RedivisError with code `no_next_page` when {@link Page.hasNextPage} is false.
   */
  getNextPage(): Promise<Page<T>>;
}

/**
 * A lazily started list: `await` it for the first page, `for await` over it for every item, or
 * {@link PagePromise.toArray} to collect them. Nothing is requested until one of these is used.
 */
export interface PagePromise<T> extends Promise<Page<T>>, AsyncIterable<T> {
  /**
   * Collects every item (up to `maxResults`, and up to `limit` when given).
   *
   * @param options - `limit`: stop after this many items.
   */
  toArray(options?: { limit?: number }): Promise<T[]>;
}
