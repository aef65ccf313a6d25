import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
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

// Partial files carry this machine and process, so a later download of the same target can tell the leftovers
// of a killed process (a SIGKILL runs no cleanup) from a download still in progress.
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);

/** A temporary sibling name for `path`: same folder (so the final rename stays on one file system). */
function partialName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${HOST}-${process.pid}-${randomUUID().slice(0, 8)}.part`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes partial files of `path` left by processes of this machine that no longer run (killed mid-download).
 * Partials of running processes, of other machines (a shared folder) and every other file are left alone.
 */
async function removeOrphanPartials(path: string): Promise<void> {
  const prefix = `.${basename(path)}.${HOST}-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.part')) continue;
    const match = /^(\d+)-[0-9a-f]{8}\.part$/.exec(name.slice(prefix.length));
    if (match && Number(match[1]) !== process.pid && !alive(Number(match[1])))
      await rm(join(dirname(path), name), { force: true });
  }
}

// Chunks are handed to a write stream without waiting for each write (a response delivers 16-64 KiB pieces; one
// awaited write per piece left the disk idle while the socket waited, 0.78 of a raw GET piped to a file). A write
// waits only when the stream's buffer is full, so memory stays bounded by its high-water mark.
const WRITE_BUFFER_BYTES = 4 * 2 ** 20;

function writeStream(path: string): WriteStream {
  const stream = createWriteStream(path, { flags: 'w', highWaterMark: WRITE_BUFFER_BYTES });
  // Errors surface through the next write or close; an error event without a listener would end the process.
  stream.on('error', () => undefined);
  return stream;
}

/** Ends the stream and closes its file once everything written reached it. */
async function closeStream(stream: WriteStream): Promise<void> {
  if (stream.closed) {
    if (stream.errored) throw stream.errored;
    return;
  }
  stream.end();
  await once(stream, 'close');
  if (stream.errored) throw stream.errored;
}

async function openPartial(path: string): Promise<PartialFile> {
  await mkdir(dirname(path), { recursive: true });
  await removeOrphanPartials(path);
  const temp = partialName(path);
  let stream = writeStream(temp);
  await once(stream, 'open');
  let hash = createHash('md5');
  let size = 0;
  return {
    get size() {
      return size;
    },
    async write(chunk) {
      if (stream.errored) throw stream.errored;
      hash.update(chunk);
      size += chunk.byteLength;
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async reset() {
      await closeStream(stream);
      stream = writeStream(temp); // 'w' truncates
      await once(stream, 'open');
      hash = createHash('md5');
      size = 0;
    },
    md5: () => hash.copy().digest('base64'),
    async commit() {
      await closeStream(stream);
      // Durable before it takes the final name (fsync applies to the file, whichever descriptor asks).
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    },
    async discard() {
      stream.destroy();
      if (!stream.closed) await once(stream, 'close').catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}

/**
 * The Node file system as a {@link FileSystemAdapter}. Downloads go to a hidden temporary sibling of the target
 * (`.<name>.<host>-<pid>-<random>.part`) hashed as they are written, and are renamed into place only once every
 * byte has arrived and the MD5 matched, so an interrupted download never leaves a truncated file under the final
 * name; the next download of the same target removes what a killed process of this machine left.
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
