import type { QueryParams } from './options.js';

/**
 * Joins `path` to `baseUrl` (unless it is already absolute) and appends the query parameters.
 *
 * @param baseUrl - Base URL without trailing slash.
 * @param path - An encoded path (`/datasets/x`) or an absolute http(s) URL.
 * @param query - Parameters; `null`/`undefined` are skipped.
 * @returns The absolute URL.
 */
export function buildUrl(baseUrl: string, path: string, query?: QueryParams): string {
  const absolute = /^https?:\/\//i.test(path);
  const url = new URL(absolute ? path : `${baseUrl}${path.startsWith('/') ? '' : '/'}${path}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== null && value !== undefined) url.searchParams.append(key, String(value));
  }
  return url.toString();
}
