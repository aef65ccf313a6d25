import { UploadUsageError } from './errors.js';

/**
 * Bytes to upload, read by position so that a resumed upload starts exactly at the server's committed offset.
 * Random-access sources (bytes, Blobs, local files) can restart anywhere; sequential ones (streams, async
 * iterables) keep only the bytes the server has not committed yet.
 */
export interface UploadSource {
  /** Total bytes, when known before reading. */
  readonly size: number | undefined;
  /** A file name, used as the upload name when the upload has none. */
  readonly name?: string | undefined;
  /**
   * A stable identity of the content (e.g. path + size + modification time), which keys resumable sessions in a
   * {@link ResumeStore} across process restarts. Without one, sessions are resumed only within the process.
   */
  readonly identity?: string | undefined;
  /**
   * Bytes `[start, end)`; fewer only at the end of the content. A sequential source may throw for a `start` before
   * bytes it has already released.
   */
  read(start: number, end: number): Promise<Uint8Array>;
  /**
   * Bytes `[start, end)` as a stream that reads while the request sends (local files in Node): a resumable chunk is
   * then never held whole nor copied into the request, and it can be large (see `DEFAULT_STREAMED_CHUNK_SIZE`).
   * Optional; without it chunks are {@link UploadSource.read} whole.
   */
  stream?(start: number, end: number): ReadableStream<Uint8Array>;
}

/** What `create()` accepts as content (Node adds local paths and Readables through `@redivis-ts/node`). */
export type UploadContent =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | UploadSource;

/** The bytes of a `Uint8Array` as an {@link UploadSource}. */
export function bytesSource(bytes: Uint8Array, name?: string): UploadSource {
  return {
    size: bytes.byteLength,
    name,
    read: async (start, end) => bytes.subarray(start, Math.min(end, bytes.byteLength)),
  };
}

/** A `Blob` (or browser `File`) as an {@link UploadSource}; a `File` gives its name and an identity. */
export function blobSource(blob: Blob): UploadSource {
  const file = blob as Blob & { name?: string; lastModified?: number };
  return {
    size: blob.size,
    name: typeof file.name === 'string' ? file.name : undefined,
    identity:
      typeof file.name === 'string' ? `blob:${file.name}:${blob.size}:${file.lastModified ?? ''}` : undefined,
    read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
  };
}

/**
 * Chunks from an async iterable as a sequential {@link UploadSource} of unknown size: bytes are pulled as reads
 * ask for them, and released once a later read starts past them (the resumable protocol never asks for bytes
 * before the committed offset again).
 */
export function iterableSource(chunks: AsyncIterable<Uint8Array>, name?: string): UploadSource {
  const iterator = chunks[Symbol.asyncIterator]();
  let buffered: Uint8Array[] = [];
  let bufferStart = 0;
  let bufferEnd = 0;
  let done = false;
  const release = (upTo: number) => {
    while (buffered.length > 0 && bufferStart + (buffered[0] as Uint8Array).byteLength <= upTo) {
      bufferStart += (buffered.shift() as Uint8Array).byteLength;
    }
  };
  return {
    size: undefined,
    name,
    async read(start, end) {
      if (start < bufferStart)
        throw new UploadUsageError(
          `A stream cannot be read again from byte ${start}; it was consumed up to ${bufferStart}.`,
        );
      release(start);
      while (!done && bufferEnd < end) {
        const next = await iterator.next();
        if (next.done) done = true;
        else if (next.value.byteLength > 0) {
          buffered.push(next.value);
          bufferEnd += next.value.byteLength;
        }
      }
      const out = new Uint8Array(Math.max(0, Math.min(end, bufferEnd) - start));
      let at = bufferStart;
      for (const chunk of buffered) {
        const from = Math.max(start, at);
        const to = Math.min(end, at + chunk.byteLength);
        if (to > from) out.set(chunk.subarray(from - at, to - at), from - start);
        at += chunk.byteLength;
        if (at >= end) break;
      }
      if (done && buffered.length === 0) buffered = [];
      return out;
    },
  };
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

function isUploadSource(value: unknown): value is UploadSource {
  return typeof (value as UploadSource)?.read === 'function' && 'size' in (value as object);
}

/**
 * Normalise upload content to an {@link UploadSource}: text is UTF-8 encoded, bytes and Blobs are read by
 * position, streams and async iterables sequentially.
 *
 * @param content - What the caller passed.
 * @throws UploadUsageError for anything else.
 */
export function toUploadSource(content: UploadContent): UploadSource {
  if (typeof content === 'string') return bytesSource(new TextEncoder().encode(content));
  if (content instanceof Uint8Array) return bytesSource(content);
  if (content instanceof ArrayBuffer) return bytesSource(new Uint8Array(content));
  if (typeof Blob !== 'undefined' && content instanceof Blob) return blobSource(content);
  if (typeof ReadableStream !== 'undefined' && content instanceof ReadableStream)
    return iterableSource(streamChunks(content));
  if (isUploadSource(content)) return content;
  if (content && typeof (content as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function')
    return iterableSource(content as AsyncIterable<Uint8Array>);
  throw new UploadUsageError(
    'Upload content must be a string, bytes, a Blob, a ReadableStream, an async iterable of Uint8Array chunks, ' +
      'an UploadSource, or tabular data (an Arrow Table or an array of row objects).',
  );
}
