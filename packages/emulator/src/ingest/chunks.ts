import { createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A parsed `Content-Range` of the resumable protocol. */
export type ContentRange =
  | { kind: 'query'; total: number | null }
  | { kind: 'chunk'; start: number; end: number; total: number | null };

/**
 * Parses `bytes S-E/T`, `bytes S-E/*` and the status query `bytes * /T` (spec §5.8.1; the empty file is
 * `bytes 0--1/0`). Returns undefined for anything else.
 */
export function parseContentRange(header: string): ContentRange | undefined {
  const query = /^bytes \*\/(\d+|\*)$/.exec(header.trim());
  if (query) {
    const total = query[1] === '*' ? null : Number(query[1]);
    return total === null || Number.isSafeInteger(total) ? { kind: 'query', total } : undefined;
  }
  const chunk = /^bytes (\d+)-(-1|\d+)\/(\d+|\*)$/.exec(header.trim());
  if (!chunk) return undefined;
  const [start, end] = [Number(chunk[1]), Number(chunk[2])];
  const total = chunk[3] === '*' ? null : Number(chunk[3]);
  // Digits past 2^53 would round to a different number, and a route would then compare the wrong size.
  const safe = [start, end, total ?? 0].every(Number.isSafeInteger);
  if (end < start - 1 || !safe) return undefined;
  return { kind: 'chunk', start, end, total };
}

/** Bytes received so far: the file's length (0 when it does not exist yet). */
export async function receivedBytes(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Why a chunk could not be written completely. */
export class ChunkError extends Error {
  constructor(
    message: string,
    readonly kind: 'tooLong' | 'interrupted',
  ) {
    super(message);
  }
}

/** Where a chunk goes and how much of it to take. */
export interface ChunkWrite {
  path: string;
  /** First byte offset of the body in the file. */
  start: number;
  /** Bytes the body should hold (end − start + 1). */
  length: number;
  /** Bytes already in the file; the body's bytes before this offset are skipped (already persisted). */
  received: number;
  /** Sees every byte written, in order (the temp upload's running MD5). */
  onData?: (data: Buffer) => void;
}

/**
 * Writes a chunk's body at its offset as it arrives (never buffered whole), skipping bytes already persisted (a
 * resent chunk overlapping the received range, as GCS allows). Bytes past `length` are refused (`tooLong`, with
 * the chunk's bytes up to `length` kept); a body that stops early keeps what arrived (`interrupted` if the
 * connection failed). Returns the file's new length.
 */
export async function writeChunk(body: Readable, w: ChunkWrite): Promise<number> {
  let skip = w.received - w.start;
  let taken = 0;
  let offered = 0;
  const writable = Math.max(0, w.length - skip);
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      let data = chunk;
      offered += data.length;
      if (skip > 0) {
        const drop = Math.min(skip, data.length);
        skip -= drop;
        data = data.subarray(drop);
      }
      if (taken + data.length > writable) {
        const keep = writable - taken;
        taken += keep;
        if (keep) {
          w.onData?.(data.subarray(0, keep));
          this.push(data.subarray(0, keep));
        }
        return done(new ChunkError('The body is longer than its Content-Range', 'tooLong'));
      }
      taken += data.length;
      if (data.length) w.onData?.(data);
      done(null, data);
    },
  });
  // Never leave bytes past what was received before this chunk (a crash cannot, but be exact).
  const file = await open(w.path, 'a');
  await file.truncate(w.received).finally(() => file.close());
  try {
    await pipeline(body, limiter, createWriteStream(w.path, { flags: 'r+', start: w.received }));
  } catch (e) {
    if (e instanceof ChunkError) throw e;
    throw new ChunkError(
      `The chunk was interrupted after ${offered} bytes: ${(e as Error).message}`,
      'interrupted',
    );
  }
  return w.received + taken;
}
