import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { UploadSource } from '@redivis-ts/upload';

/**
 * A local file as an upload source: read by position (a resumed upload reads only from the committed offset on)
 * and streamed while each chunk is sent, with an identity (absolute path, size, modification time, inode) that keys
 * resumable sessions across restarts, so a changed file never resumes an old session.
 *
 * @param path - The file.
 */
export async function fileSource(path: string): Promise<UploadSource> {
  const absolute = resolve(path);
  const info = await stat(absolute);
  if (!info.isFile()) throw new TypeError(`'${path}' is not a file.`);
  return {
    size: info.size,
    name: absolute.split(sep).pop(),
    identity: `file:${absolute}:${info.size}:${info.mtimeMs}:${info.ino}`,
    async read(start, end) {
      const handle = await open(absolute, 'r');
      try {
        const length = Math.max(0, Math.min(end, info.size) - start);
        const buffer = new Uint8Array(length);
        let at = 0;
        while (at < length) {
          const { bytesRead } = await handle.read(buffer, at, length - at, start + at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return at === length ? buffer : buffer.subarray(0, at);
      } finally {
        await handle.close();
      }
    },
    stream: (start, end) => fileRangeStream(absolute, start, Math.min(end, info.size)),
  };
}

/** Bytes per read of {@link fileRangeStream}: large enough that a read is one system call per MiB on the wire. */
const STREAM_READ_BYTES = 2 ** 20;

/**
 * Bytes `[start, end)` of a file as a web stream, read as the consumer pulls (one read ahead at most): each read
 * lands in a buffer of its own that is handed on without another copy. The file is closed at the end, on
 * cancellation and on error.
 */
function fileRangeStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined;
  let at = start;
  const close = async () => {
    const current = handle;
    handle = undefined;
    await current?.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          handle ??= await open(path, 'r');
          const length = Math.min(STREAM_READ_BYTES, end - at);
          const buffer = new Uint8Array(length);
          const { bytesRead } = length > 0 ? await handle.read(buffer, 0, length, at) : { bytesRead: 0 };
          at += bytesRead;
          if (bytesRead > 0)
            controller.enqueue(bytesRead === length ? buffer : buffer.subarray(0, bytesRead));
          if (bytesRead === 0 || at >= end) {
            await close();
            controller.close();
          }
        } catch (error) {
          await close().catch(() => undefined);
          controller.error(error);
        }
      },
      cancel: close,
    },
    { highWaterMark: 1 },
  );
}

/**
 * Every file below `directory`, as paths relative to it with `/` separators (symbolic links are not followed).
 *
 * @param directory - The folder to walk.
 */
export async function listFilesRecursive(directory: string): Promise<string[]> {
  const root = resolve(directory);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, resolve(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}
