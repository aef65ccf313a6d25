import { constants } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';

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

/** Bytes gathered before one file write (two such blocks per chunk being written: one filling, one writing). */
const BLOCK_BYTES = 1 << 20;

/**
 * Writes a chunk's body at its offset as it arrives (never buffered whole), skipping bytes already persisted (a
 * resent chunk overlapping the received range, as GCS allows). Bytes past `length` are refused (`tooLong`, with
 * the chunk's bytes up to `length` kept); a body that stops early keeps what arrived (`interrupted` if the
 * connection failed). Returns the file's new length.
 *
 * The socket's chunks (64 KiB at most) are copied into two blocks of {@link BLOCK_BYTES} that take turns being
 * filled and written: a file write per MiB instead of per socket read, and the socket's buffers die young instead
 * of waiting in a write queue until they are old, which made V8 run full collections for "external memory
 * pressure" several times per upload (the ingest bench's profile).
 */
export async function writeChunk(body: Readable, w: ChunkWrite): Promise<number> {
  let skip = w.received - w.start;
  let taken = 0;
  let offered = 0;
  const writable = Math.max(0, w.length - skip);
  // Never leave bytes past what was received before this chunk (a crash cannot, but be exact).
  const file = await open(w.path, constants.O_RDWR | constants.O_CREAT);
  const blocks = new BlockWriter(file, w.received, w.onData);
  try {
    await file.truncate(w.received);
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        offered += chunk.length;
        let data = chunk;
        if (skip > 0) {
          const drop = Math.min(skip, data.length);
          skip -= drop;
          data = data.subarray(drop);
        }
        const keep = Math.min(data.length, writable - taken);
        taken += keep;
        await blocks.add(data.subarray(0, keep));
        if (keep < data.length) throw new ChunkError('The body is longer than its Content-Range', 'tooLong');
      }
      await blocks.flush();
    } catch (e) {
      // What arrived before the failure is kept, as a resumable upload's server keeps it.
      await blocks.flush().catch(() => undefined);
      if (e instanceof ChunkError) throw e;
      throw new ChunkError(
        `The chunk was interrupted after ${offered} bytes: ${(e as Error).message}`,
        'interrupted',
      );
    }
  } finally {
    await file.close();
  }
  return w.received + taken;
}

/** Gathers bytes into blocks and writes each at its offset, one write in flight while the other block fills. */
class BlockWriter {
  readonly #blocks = [Buffer.allocUnsafe(BLOCK_BYTES), Buffer.allocUnsafe(BLOCK_BYTES)];
  #current = 0;
  #fill = 0;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: FileHandle,
    private position: number,
    private readonly onData: ((data: Buffer) => void) | undefined,
  ) {}

  /** Copies `data` into the blocks, starting a write whenever one is full. */
  async add(data: Buffer): Promise<void> {
    let at = 0;
    while (at < data.length) {
      const block = this.#blocks[this.#current] as Buffer;
      const n = data.copy(block, this.#fill, at);
      this.#fill += n;
      at += n;
      if (this.#fill === BLOCK_BYTES) await this.#send();
    }
  }

  /** Writes what the current block holds and waits for every write to finish. */
  async flush(): Promise<void> {
    await this.#send();
    await this.#writing;
  }

  /** Starts writing the current block once the previous write finished, and switches blocks. */
  async #send(): Promise<void> {
    await this.#writing;
    if (this.#fill === 0) return;
    const data = (this.#blocks[this.#current] as Buffer).subarray(0, this.#fill);
    this.onData?.(data);
    this.#writing = writeAll(this.file, data, this.position);
    // Handled where it is awaited; a failure while the next block fills must not be an unhandled rejection.
    this.#writing.catch(() => undefined);
    this.position += data.length;
    this.#current ^= 1;
    this.#fill = 0;
  }
}

/** Writes all of `data` at `position` (a write may take fewer bytes than it was given). */
async function writeAll(file: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await file.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}
