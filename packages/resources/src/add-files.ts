import type { CallOptions } from '@redivis-ts/core';
import type { UploadSource } from '@redivis-ts/upload';
import { createTempUploads, sendToSlot, toUploadSource, UploadUsageError } from '@redivis-ts/upload';
import pLimit from 'p-limit';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions } from './context.js';
import { PlatformFeatureError } from './platform.js';

/** One file for `table.addFiles()`: a local path, `{ path, name }`, or in-memory `{ data, name }`. */
export type AddFileInput = string | LocalFileInput | DataFileInput;

/** A local file for `table.addFiles()`. */
export interface LocalFileInput {
  /** The local path. */
  path: string;
  /** The name in the index (may contain `/`). @defaultValue the file's base name */
  name?: string;
}

/** In-memory content for `table.addFiles()`. */
export interface DataFileInput {
  /** The bytes (text is UTF-8 encoded). */
  data: string | Uint8Array | Blob;
  /** The name in the index (may contain `/`). */
  name: string;
}

/** Progress of `table.addFiles()`. */
export interface AddFilesProgress {
  /** Files whose bytes were sent. */
  filesUploaded: number;
  /** Files to add. */
  totalFiles: number;
  /** Bytes sent so far. */
  bytesUploaded: number;
  /** Total bytes. */
  totalBytes: number;
}

/** Options of `table.addFiles()`. */
export interface AddFilesOptions extends MethodOptions {
  /** The files to add. */
  files?: AddFileInput[];
  /** A local folder to add recursively (names are paths relative to it). */
  directory?: string;
  /** Files sent at once. @defaultValue 10 */
  maxConcurrency?: number;
  /** Called as files and bytes are sent. */
  onProgress?: (progress: AddFilesProgress) => void;
}

/** The files registered (`POST {table}/rawFiles` answer, when it lists them). */
export interface AddedFile {
  /** File id. */
  id?: string;
  /** File name in the index. */
  name: string;
}

interface Prepared {
  name: string;
  source: UploadSource;
  size: number;
}

const BATCH_FILES = 1000;
// The Python client asks for a resumable slot above 50 MB.
const RESUMABLE_FILE_SIZE = 5e7;

async function prepare(ctx: ResourceContext, options: AddFilesOptions): Promise<Prepared[]> {
  const fs = ctx.platform.fs;
  const fromPath = async (path: string, name: string): Promise<Prepared> => {
    if (!fs?.source) throw new PlatformFeatureError('fs', 'table.addFiles() with local paths');
    const source = await fs.source(path);
    return { name, source, size: source.size ?? 0 };
  };
  const out: Prepared[] = [];
  if (options.directory !== undefined) {
    if (!fs?.listFiles) throw new PlatformFeatureError('fs', 'table.addFiles({ directory })');
    const root = fs.resolve(options.directory);
    for (const rel of await fs.listFiles(root))
      out.push(await fromPath(fs.join(root, ...rel.split('/')), rel));
  }
  for (const file of options.files ?? []) {
    if (typeof file === 'string') out.push(await fromPath(file, file.split(/[\\/]/).pop() ?? file));
    else if ('path' in file)
      out.push(await fromPath(file.path, file.name ?? file.path.split(/[\\/]/).pop() ?? file.path));
    else {
      const source = toUploadSource(file.data);
      if (source.size === undefined) throw new UploadUsageError(`File '${file.name}' has no known size.`);
      out.push({ name: file.name, source, size: source.size });
    }
  }
  if (out.length === 0) throw new UploadUsageError('table.addFiles() needs files or a directory.');
  return out;
}

/**
 * `table.addFiles()`: for each block of 1,000 files, temp-upload slots (`POST {table}/tempUploads`, resumable above
 * 50 MB), the bytes sent with at most `maxConcurrency` files in flight, then `POST {table}/rawFiles` registering
 * the block. Only unreleased versions accept files. @internal
 */
export async function addFiles(
  ctx: ResourceContext,
  tableUri: string,
  options: AddFilesOptions,
): Promise<AddedFile[]> {
  const files = await prepare(ctx, options);
  const call: CallOptions = callOptions(options);
  const progress: AddFilesProgress = {
    filesUploaded: 0,
    totalFiles: files.length,
    bytesUploaded: 0,
    totalBytes: files.reduce((a, f) => a + f.size, 0),
  };
  const limit = pLimit(Math.max(1, options.maxConcurrency ?? 10));
  const added: AddedFile[] = [];
  for (let at = 0; at < files.length; at += BATCH_FILES) {
    const block = files.slice(at, at + BATCH_FILES);
    const slots = await createTempUploads(
      ctx.client,
      tableUri,
      block.map((f) => ({ size: f.size, name: f.name, resumable: f.size > RESUMABLE_FILE_SIZE })),
      call,
    );
    await Promise.all(
      block.map((file, i) =>
        limit(async () => {
          let sent = 0;
          await sendToSlot(ctx.client, slots[i] as (typeof slots)[number], file.source, file.size, {
            ...call,
            chunkSize: 8 * 2 ** 20,
            maxChunkRetries: 10,
            onCommitted: (bytes) => {
              progress.bytesUploaded += bytes - sent;
              sent = bytes;
              options.onProgress?.({ ...progress });
            },
          });
          progress.filesUploaded++;
          options.onProgress?.({ ...progress });
        }),
      ),
    );
    const response = (await ctx.client.request({
      ...call,
      method: 'POST',
      path: `${tableUri}/rawFiles`,
      json: { files: block.map((f, i) => ({ name: f.name, tempUploadId: (slots[i] as { id: string }).id })) },
    })) as { results?: { id?: string; name?: string }[] } | undefined;
    const results = response?.results ?? [];
    block.forEach((f, i) => {
      const id = results[i]?.id;
      added.push({ name: results[i]?.name ?? f.name, ...(id ? { id } : {}) });
    });
  }
  return added;
}
