import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileSystemAdapter, PartialFile } from '@redivis-ts/resources';
import { fileSource, listFilesRecursive } from './file-source.js';

/** Options of {@link nodeFileSystem}. */
export interface NodeFileSystemOptions {
  /** Relative paths are resolved from here. @defaultValue `process.cwd()` at each call */
  cwd?: string;
}

/** Base64 MD5 of a local file, read as a stream (the form Redivis reports in `md5Hash`).
 * @param path - The file. */
export async function md5File(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/** A temporary sibling name for `path`: same folder (so the final rename stays on one file system). */
function partialName(path: string): string {
  return join(dirname(path), `.${path.split(/[\\/]/).pop()}.${randomUUID().slice(0, 8)}.part`);
}

async function openPartial(path: string): Promise<PartialFile> {
  await mkdir(dirname(path), { recursive: true });
  const temp = partialName(path);
  let handle = await open(temp, 'w');
  let hash = createHash('md5');
  let size = 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    get size() {
      return size;
    },
    async write(chunk) {
      await handle.write(chunk);
      hash.update(chunk);
      size += chunk.byteLength;
    },
    async reset() {
      await handle.truncate(0);
      await handle.close();
      handle = await open(temp, 'w');
      hash = createHash('md5');
      size = 0;
    },
    md5: () => hash.copy().digest('base64'),
    async commit() {
      await handle.sync();
      await close();
      await rename(temp, path);
    },
    async discard() {
      await close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}

/**
 * The Node file system as a {@link FileSystemAdapter}. Downloads go to a hidden temporary sibling of the target
 * (`.<name>.<random>.part`) hashed as they are written, and are renamed into place only once every byte has
 * arrived and the MD5 matched, so an interrupted download never leaves a truncated file under the final name.
 *
 * @param options - The folder relative paths start from.
 */
export function nodeFileSystem(options: NodeFileSystemOptions = {}): FileSystemAdapter {
  const base = () => options.cwd ?? process.cwd();
  return {
    join: (...parts) => join(...parts),
    resolve: (path) => resolve(base(), path.startsWith('~/') ? join(homedir(), path.slice(2)) : path),
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
    async writeFile(path, data, writeOptions) {
      await mkdir(dirname(path), { recursive: true });
      const temp = partialName(path);
      try {
        const source = data instanceof Uint8Array ? Readable.from([data]) : Readable.fromWeb(data as never);
        await pipeline(
          source,
          createWriteStream(temp),
          writeOptions?.signal ? { signal: writeOptions.signal } : {},
        );
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    openPartial,
    source: (path) => fileSource(resolve(base(), path)),
    listFiles: listFilesRecursive,
    md5: md5File,
  };
}
