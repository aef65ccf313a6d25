import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { FileSystemAdapter } from '@redivis-ts/resources';

/**
 * The Node file system as a `FileSystemAdapter`: writes go to a temporary sibling file renamed into place once
 * complete, so an interrupted download never leaves a truncated file under the final name.
 */
export function nodeFileSystem(): FileSystemAdapter {
  return {
    join: (...parts) => join(...parts),
    resolve: (path) => resolve(path.startsWith('~/') ? join(process.env.HOME ?? '', path.slice(2)) : path),
    async size(path) {
      const info = await stat(path).catch(() => undefined);
      return info?.isFile() ? info.size : undefined;
    },
    async isDirectory(path) {
      const info = await stat(path).catch(() => undefined);
      return info?.isDirectory() ?? false;
    },
    async mkdir(path) {
      await mkdir(path, { recursive: true });
    },
    async writeFile(path, data, options) {
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.${randomUUID()}.part`;
      try {
        const source = data instanceof Uint8Array ? Readable.from([data]) : Readable.fromWeb(data as never);
        await pipeline(source, createWriteStream(partial), options?.signal ? { signal: options.signal } : {});
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async md5(path) {
      const hash = createHash('md5');
      await pipeline(
        createReadStream(path),
        new Writable({
          write(chunk, _encoding, done) {
            hash.update(chunk);
            done();
          },
        }),
      );
      return hash.digest('base64');
    },
  };
}
