import { open, readdir, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { UploadSource } from '@redivis-ts/upload';

/**
 * A local file as an upload source: read by position (a resumed upload reads only from the committed offset on),
 * with an identity (absolute path, size, modification time, inode) that keys resumable sessions across restarts,
 * so a changed file never resumes an old session.
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
  };
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
