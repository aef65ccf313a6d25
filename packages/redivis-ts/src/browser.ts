/**
 * `redivis-ts` for browsers: the same API as in Node, without Node defaults (no file system, no environment
 * variables; pass `apiToken` or a `tokenProvider` such as `authorizationCodeFlow`).
 *
 * @module
 */
import { createTransport } from '@redivis-ts/core';
import { createRedivis, type Redivis } from '@redivis-ts/resources';
import type { RedivisOptions } from './shared.js';

export * from './shared.js';

/** Create a Redivis client and return the object model (`organization()`, `dataset()`, `table()`, `query()` …). */
export function createClient(options: RedivisOptions = {}): Redivis {
  const { platform, ...clientOptions } = options;
  return createRedivis(createTransport(clientOptions), platform ?? {});
}
