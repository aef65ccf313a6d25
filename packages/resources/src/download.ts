import type { CallOptions, QueryParams } from '@redivis-ts/core';
import { backoffDelay, isRedivisError, RedivisError, sleep } from '@redivis-ts/core';
import type { ResourceContext } from './context.js';
import type { PartialFile } from './platform.js';
import { requireFs } from './platform.js';

/** Retries of one download after a failure, each resuming where the bytes stopped (the Python client's 10). */
export const DOWNLOAD_RETRIES = 10;

/** Progress of a download to disk, reported as bytes arrive. */
export interface DownloadProgress {
  /** Bytes written so far, over every file of the call. */
  bytesDownloaded: number;
  /** Bytes expected in total, once every file's size is known. */
  totalBytes?: number;
  /** Files finished. */
  filesCompleted: number;
  /** Files to download. */
  totalFiles: number;
}

/** The downloaded bytes do not match the MD5 digest the server sent: the file is not written. */
export class DownloadIntegrityError extends RedivisError {
  /** The base64 MD5 the server announced. */
  readonly expectedMd5: string;
  /** The base64 MD5 of the bytes received. */
  readonly actualMd5: string;

  /**
   * @param target - The local path that was not written.
   * @param expectedMd5 - The server's digest.
   * @param actualMd5 - The digest of what arrived.
   */
  constructor(target: string, expectedMd5: string, actualMd5: string) {
    super({
      code: 'checksum_mismatch',
      description: `The bytes downloaded for '${target}' have MD5 ${actualMd5}, but the server announced ${expectedMd5}; nothing was written.`,
    });
    this.name = 'DownloadIntegrityError';
    this.expectedMd5 = expectedMd5;
    this.actualMd5 = actualMd5;
  }
}

/** `md5=:<b64>:` in `Content-Digest`, `md5=<b64>` in `x-goog-hash` or `Digest`. @internal */
export function md5FromHeaders(headers: Headers): string | undefined {
  const digest = headers.get('content-digest');
  const sf = digest && /(?:^|,)\s*md5=:([A-Za-z0-9+/=]+):/i.exec(digest);
  if (sf?.[1]) return sf[1];
  for (const name of ['x-goog-hash', 'digest']) {
    const match = /(?:^|,)\s*md5=([A-Za-z0-9+/=]+)/i.exec(headers.get(name) ?? '');
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** Parse `Content-Range: bytes <start>-<end>/<total|*>`. @internal */
export function parseContentRange(
  value: string | null,
): { start: number; end: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  const [start, end] = [Number(match[1]), Number(match[2])];
  const total = match[3] === '*' ? undefined : Number(match[3]);
  // An incoherent or unrepresentable range is no range: the caller then treats the body as the whole file.
  if (![start, end, total ?? 0].every(Number.isSafeInteger) || end < start) return undefined;
  if (total !== undefined && total <= end) return undefined;
  return { start, end, total };
}

class IncompleteBodyError extends RedivisError {
  constructor(got: number, expected: number) {
    super({ code: 'incomplete_body', description: `The response ended after ${got} of ${expected} bytes.` });
  }
}

// A failure worth resuming from: the connection (network, timeout, a body cut short) or a transient status.
function resumable(error: unknown): boolean {
  if (error instanceof DownloadIntegrityError) return false;
  if (!isRedivisError(error)) return error instanceof TypeError || (error as Error)?.name === 'AbortError';
  const status = error.status;
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** What one file download needs. @internal */
export interface DownloadJob {
  /** API path of the bytes (`/rawFiles/{id}`, `/exports/{id}/download`). */
  path: string;
  query?: QueryParams;
  /** The local path to write. */
  target: string;
  /** The MD5 the listing announced, used when the response carries no digest. */
  md5?: string | undefined;
  /** Called with the number of new bytes (negative when a restart dropped some). */
  onBytes?: (delta: number) => void;
  /** Called once with the file's total size, when the server says it. */
  onSize?: (size: number) => void;
}

/**
 * Download one file to disk: streamed into a {@link PartialFile}, resumed with `Range: bytes=<written>-` after a
 * cut (up to {@link DOWNLOAD_RETRIES} times, with backoff), restarted from 0 when the server ignores the range,
 * checked against the server's MD5, then renamed into place. Nothing is left under `target` on failure. @internal
 */
export async function downloadFile(ctx: ResourceContext, job: DownloadJob, call: CallOptions): Promise<void> {
  const fs = requireFs(ctx.platform, 'download');
  const partial = await fs.openPartial(job.target);
  try {
    const digest = await fetchInto(ctx, job, call, partial);
    const expected = digest ?? job.md5;
    const actual = partial.md5?.();
    if (expected && actual !== undefined && actual !== expected)
      throw new DownloadIntegrityError(job.target, expected, actual);
    await partial.commit();
  } catch (error) {
    await partial.discard();
    throw error;
  }
}

async function fetchInto(
  ctx: ResourceContext,
  job: DownloadJob,
  call: CallOptions,
  partial: PartialFile,
): Promise<string | undefined> {
  let digest: string | undefined;
  let sizeReported = false;
  for (let attempt = 0; ; attempt++) {
    const start = partial.size;
    try {
      const response = await ctx.client.requestStream({
        ...call,
        path: job.path,
        ...(job.query ? { query: job.query } : {}),
        ...(start > 0 ? { headers: { ...call.headers, Range: `bytes=${start}-` } } : {}),
      });
      const range = parseContentRange(response.headers.get('content-range'));
      if (start > 0 && (response.status !== 206 || range?.start !== start)) {
        // The server sent the whole file again: start over rather than append a second copy.
        job.onBytes?.(-partial.size);
        await partial.reset();
      }
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      const total = range?.total ?? (Number.isFinite(length) ? partial.size + length : undefined);
      digest = md5FromHeaders(response.headers) ?? digest;
      if (total !== undefined && !sizeReported) {
        sizeReported = true;
        job.onSize?.(total);
      }
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          await partial.write(chunk);
          job.onBytes?.(chunk.byteLength);
        }
      }
      if (total !== undefined && partial.size !== total) throw new IncompleteBodyError(partial.size, total);
      return digest;
    } catch (error) {
      call.signal?.throwIfAborted();
      if (attempt >= DOWNLOAD_RETRIES || !resumable(error)) throw error;
      // The call's retry options set the backoff too, so one setting tunes every retry of the download.
      const retry = call.retry || undefined;
      await sleep(
        backoffDelay(attempt, {
          initialDelayMs: retry?.initialDelayMs ?? 500,
          backoffLimitMs: retry?.backoffLimitMs ?? 10_000,
          jitter: true,
        }),
        call.signal,
      );
    }
  }
}
