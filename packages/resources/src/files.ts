import { isRedivisError, NotFoundError } from '@redivis-ts/core';
import { tableFromIPC } from 'apache-arrow';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions } from './context.js';
import type { DirectoryDownloadOptions } from './Directory.js';
import type { Directory } from './Directory.js';
import type { File, FileProperties } from './File.js';

/** Options of `toDirectory()` / `file()`: which variables hold the file ids and names. */
export interface DirectoryOptions extends MethodOptions {
  /** Variable holding file ids. @default 'file_id' */
  fileIdVariable?: string;
  /** Variable holding file names. @default 'file_name' */
  fileNameVariable?: string;
}

/** Options of `listFiles()`. */
export interface ListFilesOptions extends DirectoryOptions {
  /** Stop after this many files. */
  maxResults?: number;
}

/** Options of the deprecated `downloadFiles()`. */
export type DownloadFilesOptions = DirectoryOptions & DirectoryDownloadOptions;

interface CacheEntry {
  directory: Directory;
  fetchedAt: Date;
}

/** Refresh `file(path)` lookups when the cached listing is older than this (the Python client's rule). */
const FILE_LOOKUP_MAX_AGE_MS = 30_000;

/**
 * The file-index listing of a table or query result, cached per id/name variables: later calls send
 * `If-Modified-Since` and reuse the tree on `304`; a query's listing (immutable) is fetched once. @internal
 */
export class FileListing {
  readonly #ctx: ResourceContext;
  readonly #uri: () => string;
  readonly #immutable: boolean;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(ctx: ResourceContext, uri: () => string, options?: { immutable?: boolean }) {
    this.#ctx = ctx;
    this.#uri = uri;
    this.#immutable = options?.immutable ?? false;
  }

  async toDirectory(options?: DirectoryOptions): Promise<Directory> {
    const key = `${options?.fileIdVariable ?? ''}\u0000${options?.fileNameVariable ?? ''}`;
    const cached = this.#cache.get(key);
    if (cached && this.#immutable) return cached.directory;
    const started = new Date();
    const call = callOptions(options);
    let bytes: Uint8Array;
    try {
      bytes = await this.#ctx.client.requestBytes({
        ...call,
        path: `${this.#uri()}/rawFiles`,
        query: {
          format: 'arrow',
          fileIdVariable: options?.fileIdVariable,
          fileNameVariable: options?.fileNameVariable,
        },
        ...(cached
          ? { headers: { ...call.headers, 'If-Modified-Since': cached.fetchedAt.toUTCString() } }
          : {}),
      });
    } catch (error) {
      if (cached && isRedivisError(error) && error.status === 304) {
        cached.fetchedAt = started;
        return cached.directory;
      }
      throw error;
    }
    // Directory, File and their download code load with the first listing, out of a bundle that never lists.
    const { Directory } = await import('./Directory.js');
    const directory = Directory.fromFiles(this.#ctx, parseListing(bytes, options?.fileNameVariable));
    this.#cache.set(key, { directory, fetchedAt: started });
    return directory;
  }

  async file(filePath: string, options?: DirectoryOptions): Promise<File> {
    const key = `${options?.fileIdVariable ?? ''}\u0000${options?.fileNameVariable ?? ''}`;
    const cached = this.#cache.get(key);
    const fresh =
      cached && (this.#immutable || Date.now() - cached.fetchedAt.getTime() < FILE_LOOKUP_MAX_AGE_MS);
    const directory = fresh ? cached.directory : await this.toDirectory(options);
    const entry = directory.get(filePath);
    const { File } = await import('./File.js');
    if (entry instanceof File) return entry;
    // Python's file(path) raises rather than returning None; a folder is not a file either.
    throw new NotFoundError({
      code: 'file_not_found',
      description: entry
        ? `"${filePath}" is a folder in the file index of ${this.#uri()}, not a file (use toDirectory().get())`
        : `No file "${filePath}" in the file index of ${this.#uri()}`,
    });
  }

  async listFiles(options?: ListFilesOptions): Promise<File[]> {
    const directory = await this.toDirectory(options);
    return directory.list({
      mode: 'files',
      recursive: true,
      ...(options?.maxResults !== undefined ? { maxResults: options.maxResults } : {}),
    }) as File[];
  }

  async downloadFiles(options?: DownloadFilesOptions): Promise<string[]> {
    const directory = await this.toDirectory(options);
    return directory.download(options);
  }
}

/** Rows of the Arrow listing → file properties. The id column is always `file_id`. @internal */
export function parseListing(bytes: Uint8Array, fileNameVariable?: string): FileProperties[] {
  if (bytes.byteLength === 0) return [];
  const table = tableFromIPC(bytes);
  const ids = table.getChild('file_id');
  const names = table.getChild(fileNameVariable ?? 'file_name');
  const sizes = table.getChild('size');
  const hashes = table.getChild('md5_hash');
  const added = table.getChild('added_at');
  const out: FileProperties[] = [];
  for (let i = 0; i < table.numRows; i++) {
    const id = ids?.get(i);
    if (id == null) continue;
    const props: FileProperties = { id: String(id), name: String(names?.get(i) ?? id) };
    const size = sizes?.get(i);
    if (size != null) props.size = Number(size);
    const hash = hashes?.get(i);
    if (hash != null) props.md5Hash = String(hash);
    const at = toDate(added?.get(i));
    if (at) props.addedAt = at;
    out.push(props);
  }
  return out;
}

function toDate(value: unknown): Date | undefined {
  if (value == null) return undefined;
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'bigint') return new Date(Number(value));
  return undefined;
}
