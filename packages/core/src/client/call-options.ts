import type { CallOptions } from './options.js';

/**
 * Copies only the {@link CallOptions} (signal, timeout, retry, headers) out of a method's options object, leaving
 * out keys that are absent, so a method can hand them to `client.request` without its own options riding along.
 *
 * @param options - A method's options (any object extending `CallOptions`).
 */
export function callOptionsOf(options: CallOptions | undefined): CallOptions {
  if (!options) return {};
  const out: CallOptions = {};
  if (options.signal !== undefined) out.signal = options.signal;
  if (options.timeout !== undefined) out.timeout = options.timeout;
  if (options.retry !== undefined) out.retry = options.retry;
  if (options.headers !== undefined) out.headers = options.headers;
  return out;
}
