import { CLIENT_NAME, VERSION } from './version.js';

type Runtime = {
  process?: { versions?: Record<string, string | undefined> };
  Deno?: { version?: { deno?: string } };
};

/**
 * Whether the code runs in a browser or web worker, where `User-Agent` is the browser's to set (and setting it
 * would add a CORS preflight header in some browsers).
 */
export function isBrowserLike(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  return typeof g.document !== 'undefined' || typeof g.WorkerGlobalScope !== 'undefined';
}

/** The default `User-Agent`, e.g. `redivis-ts/0.1.0 (Node.js/20.19.0)`. */
export function defaultUserAgent(): string {
  const g = globalThis as Runtime;
  const versions = g.process?.versions;
  const runtime = versions?.bun
    ? `Bun/${versions.bun}`
    : g.Deno?.version?.deno
      ? `Deno/${g.Deno.version.deno}`
      : versions?.node
        ? `Node.js/${versions.node}`
        : 'JavaScript';
  return `${CLIENT_NAME}/${VERSION} (${runtime})`;
}

/**
 * The identification headers every request carries (`User-Agent` only outside browsers).
 *
 * @param userAgent - Overrides the default `User-Agent`.
 */
export function clientHeaders(userAgent?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Redivis-Client': CLIENT_NAME,
    'X-Redivis-Client-Version': VERSION,
  };
  if (!isBrowserLike()) headers['User-Agent'] = userAgent ?? defaultUserAgent();
  return headers;
}

/**
 * Merges header records case-insensitively; later records win, `undefined` values are dropped.
 *
 * @param records - Header records in increasing precedence.
 */
export function mergeHeaders(...records: (Record<string, string | undefined> | undefined)[]): Headers {
  const out = new Headers();
  for (const record of records) {
    for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) out.set(key, value);
  }
  return out;
}
