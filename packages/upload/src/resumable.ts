import type { CallOptions, RedivisTransport } from '@redivis-ts/core';
import { backoffDelay, isRedivisError, sleep } from '@redivis-ts/core';
import { ResumableUploadError } from './errors.js';
import type { UploadSource } from './source.js';

/** Options of {@link sendResumable} and {@link startResumableSession}. */
export interface ResumableOptions extends CallOptions {
  /** Bytes per PUT. */
  chunkSize: number;
  /** Failed attempts tolerated in a row before giving up. */
  maxChunkRetries: number;
  /** Called with the committed offset after every chunk. */
  onCommitted?: (bytes: number) => void;
}

/** The server no longer knows the session (404): the caller must start a new one. */
export class SessionGoneError extends ResumableUploadError {
  constructor() {
    super('The resumable upload session no longer exists.', 0);
    this.name = 'SessionGoneError';
  }
}

/** `Range: bytes=0-N` → N + 1 committed bytes; absent → 0.
 * @param range - The `Range` header of a 308. */
export function committedFromRange(range: string | null): number {
  const match = /^bytes=0-(\d+)$/.exec(range?.trim() ?? '');
  return match ? Number(match[1]) + 1 : 0;
}

// Worth retrying after: no answer at all, a timeout, or a transient status.
function transient(error: unknown): boolean {
  if (!isRedivisError(error)) return true;
  const s = error.status;
  return s === undefined || s === 408 || s === 429 || s >= 500;
}

/**
 * Start a resumable session: `POST url` with `x-goog-resumable: start` and `x-upload-content-length`; the
 * `Location` answer is the session URL.
 *
 * @param client - The core client (adds the bearer token, as the official clients do).
 * @param url - The temp upload's URL.
 * @param size - Total bytes.
 * @param call - Transport options.
 */
export async function startResumableSession(
  client: RedivisTransport,
  url: string,
  size: number,
  call: CallOptions = {},
): Promise<string> {
  const response = await client.requestStream({
    ...call,
    method: 'POST',
    path: url,
    headers: { ...call.headers, 'x-goog-resumable': 'start', 'x-upload-content-length': String(size) },
    idempotent: true,
  });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (!location) throw new ResumableUploadError('The resumable upload start answered without a Location.', 0);
  return new URL(location, url).href;
}

/**
 * Ask the session how many bytes it has: `PUT` with `Content-Range: bytes *\/size` and no body. 200/201 → all;
 * 308 with `Range` → that many; 404 → {@link SessionGoneError}. Retried like any idempotent request.
 *
 * @param client - The core client.
 * @param sessionUrl - The session.
 * @param size - Total bytes.
 * @param call - Transport options.
 */
export async function queryCommitted(
  client: RedivisTransport,
  sessionUrl: string,
  size: number,
  call: CallOptions = {},
): Promise<number> {
  try {
    const response = await client.requestStream({
      ...call,
      method: 'PUT',
      path: sessionUrl,
      headers: { ...call.headers, 'Content-Range': `bytes */${size}` },
      body: new Uint8Array(0),
      acceptStatus: [308],
    });
    await response.body?.cancel();
    return response.status === 308 ? committedFromRange(response.headers.get('range')) : size;
  } catch (error) {
    if (isRedivisError(error) && error.status === 404) throw new SessionGoneError();
    throw error;
  }
}

/**
 * Send `source` through a resumable session from `committed` on, in chunks of `chunkSize` (streamed from
 * `source.stream` when it has one, else read whole): each PUT carries
 * `Content-Range: bytes start-end/size`; a 308 moves the offset to what the server says it committed. After any
 * failure the committed offset is asked again and sending resumes there, so a committed byte is never sent twice.
 * Gives up after `maxChunkRetries` failures in a row.
 *
 * @returns Once the server has every byte.
 */
export async function sendResumable(
  client: RedivisTransport,
  sessionUrl: string,
  source: UploadSource,
  size: number,
  committed: number,
  options: ResumableOptions,
): Promise<void> {
  const { chunkSize, maxChunkRetries, onCommitted, ...call } = options;
  let offset = committed;
  let failures = 0;
  while (offset < size) {
    const end = Math.min(size, offset + chunkSize);
    try {
      // A streamed chunk goes out as it is read; its length is declared, since a stream has none of its own.
      const body = source.stream ? source.stream(offset, end) : await source.read(offset, end);
      const length: Record<string, string> = source.stream ? { 'Content-Length': String(end - offset) } : {};
      const response = await client.requestStream({
        ...call,
        method: 'PUT',
        path: sessionUrl,
        headers: { ...call.headers, ...length, 'Content-Range': `bytes ${offset}-${end - 1}/${size}` },
        body,
        retry: false,
        acceptStatus: [308],
      });
      await response.body?.cancel();
      offset = response.status === 308 ? committedFromRange(response.headers.get('range')) : size;
      failures = 0;
      onCommitted?.(offset);
    } catch (error) {
      call.signal?.throwIfAborted();
      if (isRedivisError(error) && error.status === 404) throw new SessionGoneError();
      if (!transient(error) || ++failures > maxChunkRetries)
        throw new ResumableUploadError(
          `The resumable upload stopped at byte ${offset} of ${size}: ${(error as Error).message}`,
          offset,
          error,
        );
      const retry = call.retry || undefined;
      await sleep(
        backoffDelay(failures - 1, {
          initialDelayMs: retry?.initialDelayMs ?? 500,
          backoffLimitMs: retry?.backoffLimitMs ?? 20_000,
          jitter: true,
        }),
        call.signal,
      );
      offset = await queryCommitted(client, sessionUrl, size, call);
      onCommitted?.(offset);
    }
  }
}
