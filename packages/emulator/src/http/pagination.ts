import type { Context } from 'hono';
import { badRequest } from './errors.js';

/** Page size and start offset of a list request. */
export interface PageParams {
  maxResults: number;
  offset: number;
}

/** Options of {@link readPageParams}. */
export interface PageOptions {
  /** Page size when `maxResults` is absent. @default 100 */
  defaultMax?: number;
  /** Largest accepted `maxResults`; more is a 400. @default 1000 */
  max?: number;
}

/** The wire envelope of every list endpoint. */
export interface ListEnvelope<T> {
  kind: string;
  results: T[];
  /** `null` on the last page (the key is always present: the Python client reads it without a default). */
  nextPageToken: string | null;
}

/** Encodes an offset as an opaque, URL-safe page token. */
export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

/** Decodes a page token; `undefined` when it is not one of ours. */
export function decodePageToken(token: string): number | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && 'o' in value) {
      const o = (value as { o: unknown }).o;
      if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
    }
  } catch {
    // fall through
  }
  return undefined;
}

/** Parses an optional non-negative integer query parameter; 400 when present but not one. */
export function readIntParam(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

/** Reads `maxResults` and `pageToken`; 400 for a bad value or a `maxResults` above `max`. */
export function readPageParams(c: Context, options: PageOptions = {}): PageParams {
  const max = options.max ?? 1000;
  const maxResults = readIntParam(c, 'maxResults') ?? options.defaultMax ?? 100;
  if (maxResults > max) throw badRequest(`maxResults must be at most ${max}, got ${maxResults}`);
  const token = c.req.query('pageToken');
  let offset = 0;
  if (token !== undefined && token !== '') {
    const decoded = decodePageToken(token);
    if (decoded === undefined) throw badRequest('pageToken is not a valid page token');
    offset = decoded;
  }
  return { maxResults, offset };
}

/** Builds a list envelope; `nextOffset` null on the last page. */
export function listEnvelope<T>(kind: string, results: T[], nextOffset: number | null): ListEnvelope<T> {
  return { kind, results, nextPageToken: nextOffset === null ? null : encodePageToken(nextOffset) };
}

/** Pages through an in-memory array. `maxResults=0` returns an empty page that still points at the next one. */
export function paginateArray<T>(
  c: Context,
  kind: string,
  items: readonly T[],
  options?: PageOptions,
): ListEnvelope<T> {
  const { maxResults, offset } = readPageParams(c, options);
  const results = items.slice(offset, offset + maxResults);
  const end = offset + results.length;
  return listEnvelope(kind, results, end < items.length && maxResults > 0 ? end : null);
}

/**
 * Pages through a query: `fetch(offset, limit)` is asked for one row more than the page so the last page is known
 * without a count.
 */
export async function paginateQuery<T>(
  c: Context,
  kind: string,
  fetch: (offset: number, limit: number) => Promise<T[]>,
  options?: PageOptions,
): Promise<ListEnvelope<T>> {
  const { maxResults, offset } = readPageParams(c, options);
  if (maxResults === 0) return listEnvelope(kind, [], null);
  const rows = await fetch(offset, maxResults + 1);
  const more = rows.length > maxResults;
  return listEnvelope(kind, rows.slice(0, maxResults), more ? offset + maxResults : null);
}
