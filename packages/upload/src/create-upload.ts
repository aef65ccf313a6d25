import type { CallOptions, RedivisTransport, UploadProperties } from '@redivis-ts/core';
import { encodePathSegment, isRedivisError, uploadSchema, waitFor } from '@redivis-ts/core';
import { UploadFailedError, UploadUsageError } from './errors.js';
import type { CreateUploadOptions } from './options.js';
import {
  defaultChunkSize,
  MAX_SIMPLE_UPLOAD_SIZE,
  MIN_RESUMABLE_UPLOAD_SIZE,
  uploadMetadata,
} from './options.js';
import { isTabularData, type TabularData } from './tabular.js';
import { memoryResumeStore } from './resume-store.js';
import { bytesSource, toUploadSource, type UploadContent, type UploadSource } from './source.js';
import { sendToTempUpload } from './send-bytes.js';

const CHUNK_GRANULARITY = 256 * 1024;
const processStore = memoryResumeStore();

/** Where an upload goes. */
export interface UploadTarget {
  /** The table's API path, e.g. `/tables/demo.iris_species:next.iris`. */
  tableUri: string;
  /** The upload name; the content's file name, or the server's default, when empty. */
  name?: string;
}

/** The upload's API path for a name, as the clients build it (`.` → `_`). */
export function uploadUri(tableUri: string, name: string): string {
  return `${tableUri}/uploads/${encodePathSegment(name.replaceAll('.', '_'))}`;
}

function callOf(options: CreateUploadOptions): CallOptions {
  const call: CallOptions = {};
  if (options.signal) call.signal = options.signal;
  if (options.timeout !== undefined) call.timeout = options.timeout;
  if (options.retry !== undefined) call.retry = options.retry;
  if (options.headers) call.headers = options.headers;
  return call;
}

// Content of unknown size is measured: small content is read whole; larger needs `size` or is buffered.
async function sized(
  source: UploadSource,
  declared: number | undefined,
): Promise<{ source: UploadSource; size: number }> {
  if (source.size !== undefined) return { source, size: source.size };
  if (declared !== undefined)
    return { source: { ...source, size: declared, read: source.read }, size: declared };
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const part = await source.read(total, total + 8 * 2 ** 20);
    if (part.byteLength === 0) break;
    parts.push(part);
    total += part.byteLength;
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return { source: bytesSource(all, source.name), size: total };
}

async function exists(client: RedivisTransport, uri: string, call: CallOptions): Promise<boolean> {
  try {
    await client.request({ ...call, method: 'HEAD', path: uri });
    return true;
  } catch (error) {
    if (isRedivisError(error) && error.status === 404) return false;
    throw error;
  }
}

/**
 * Create an upload as the Python client does, with resumable transfer: content up to 1 MiB goes in one multipart
 * request; larger content through a temp upload (resumable from 32 MiB, in `chunkSize` PUTs, resumed from the
 * server's committed offset after any failure and across restarts through `resumeStore`); `type: 'stream'` or a
 * `transferSpecification` send metadata only. Tabular data (Arrow Table, record batches, row objects) is sent as
 * Parquet. Name conflicts are settled before any byte is sent (`ifNotExists`, `replaceOnConflict`,
 * `renameOnConflict`); then, with `waitForFinish`, the import is awaited with core's waiter.
 *
 * @param client - The core client.
 * @param target - The table and upload name.
 * @param content - The data; `undefined` for stream and transfer uploads.
 * @param options - See {@link CreateUploadOptions}.
 * @returns The upload's properties (the existing upload's with `ifNotExists`).
 * @throws UploadUsageError for bad content or options (before any request); UploadFailedError when the import
 * fails and `raiseOnFail`; ResumableUploadError when the bytes cannot be delivered.
 */
export async function createUpload(
  client: RedivisTransport,
  target: UploadTarget,
  content: UploadContent | TabularData | undefined,
  options: CreateUploadOptions = {},
): Promise<UploadProperties> {
  if (options.replaceOnConflict && options.renameOnConflict)
    throw new UploadUsageError('replaceOnConflict and renameOnConflict cannot both be set.');
  const call = callOf(options);
  let type = options.type;
  let source: UploadSource | undefined;
  if (content !== undefined && content !== null) {
    if (options.transferSpecification)
      throw new UploadUsageError('Give either content or a transferSpecification, not both.');
    if (type === 'stream')
      throw new UploadUsageError("A 'stream' upload takes no content; use insertRows().");
    if (isTabularData(content)) {
      if (type && type !== 'parquet')
        throw new UploadUsageError(`Tabular data is sent as Parquet; type '${type}' does not apply.`);
      type = 'parquet';
      // The encoder (hyparquet-writer) loads on first use, so an app that never sends tabular data never carries it.
      const { toParquet } = await import('./parquet.js');
      source = bytesSource(toParquet(content));
    } else source = toUploadSource(content as UploadContent);
  } else if (type !== 'stream' && !options.transferSpecification) {
    throw new UploadUsageError(
      "Upload content is required unless type is 'stream' or a transferSpecification is given.",
    );
  }
  if (options.schema && type !== 'stream')
    throw new UploadUsageError("schema applies only to uploads of type 'stream'.");
  const name = target.name || source?.name || undefined;
  const metadataOptions = { ...options, ...(type ? { type } : {}) };

  if (name) {
    const uri = uploadUri(target.tableUri, name);
    if (await exists(client, uri, call)) {
      if (options.ifNotExists) return client.request({ ...call, path: uri, schema: uploadSchema });
      if (options.replaceOnConflict) await client.request({ ...call, method: 'DELETE', path: uri });
      else if (!options.renameOnConflict)
        throw new UploadUsageError(
          `An upload named '${name}' already exists on this table; pass ifNotExists, replaceOnConflict or renameOnConflict.`,
        );
    }
  }

  const report = options.onProgress;
  let created: UploadProperties;
  if (!source) {
    created = await client.request({
      ...call,
      method: 'POST',
      path: `${target.tableUri}/uploads`,
      json: uploadMetadata(name, metadataOptions),
      schema: uploadSchema,
    });
  } else {
    const measured = await sized(source, options.size);
    const size = measured.size;
    if (size <= MAX_SIMPLE_UPLOAD_SIZE) {
      const bytes = await measured.source.read(0, size);
      const form = new FormData();
      form.append(
        'metadata',
        new Blob([JSON.stringify(uploadMetadata(name, metadataOptions))], { type: 'application/json' }),
        'metadata',
      );
      form.append('data', new Blob([bytes as Uint8Array<ArrayBuffer>]), name ?? 'data');
      created = await client.request({
        ...call,
        method: 'POST',
        path: `${target.tableUri}/uploads`,
        body: form,
        schema: uploadSchema,
      });
      report?.({ phase: 'uploading', bytesUploaded: size, totalBytes: size });
    } else {
      const chunk =
        Math.max(1, Math.ceil((options.chunkSize ?? defaultChunkSize(measured.source)) / CHUNK_GRANULARITY)) *
        CHUNK_GRANULARITY;
      const identity = measured.source.identity;
      const tempUploadId = await sendToTempUpload(client, measured.source, size, {
        ...call,
        parentUri: target.tableUri,
        name: name ?? undefined,
        resumable: size >= MIN_RESUMABLE_UPLOAD_SIZE || options.chunkSize !== undefined,
        store: options.resumeStore ?? processStore,
        key: identity ? `${client.baseUrl}|${target.tableUri}|${name ?? ''}|${identity}` : undefined,
        chunkSize: chunk,
        maxChunkRetries: options.maxChunkRetries ?? 10,
        onCommitted: (bytes) => report?.({ phase: 'uploading', bytesUploaded: bytes, totalBytes: size }),
      });
      created = await client.request({
        ...call,
        method: 'POST',
        path: `${target.tableUri}/uploads`,
        json: uploadMetadata(name, metadataOptions, tempUploadId),
        schema: uploadSchema,
      });
    }
  }
  if (type === 'stream' || options.waitForFinish === false) return created;
  return waitForUpload(client, created, options);
}

/**
 * Poll an upload with core's waiter until `completed` or `failed`. A failure deletes the upload with
 * `removeOnFail` and throws {@link UploadFailedError} (the server's message and bad-record count) with
 * `raiseOnFail` (the default); otherwise the failed upload's properties are returned.
 *
 * @param client - The core client.
 * @param upload - The upload as created (its `uri` is polled).
 * @param options - `raiseOnFail`, `removeOnFail`, `maxWaitMs`, `onProgress`, `signal`.
 */
export async function waitForUpload(
  client: RedivisTransport,
  upload: UploadProperties,
  options: CreateUploadOptions = {},
): Promise<UploadProperties> {
  const call = callOf(options);
  const done = (p: UploadProperties) => p.status === 'completed' || p.status === 'failed';
  const final = done(upload)
    ? upload
    : await waitFor(
        async (signal) => {
          const p = await client.request({
            ...call,
            ...(signal ? { signal } : {}),
            path: upload.uri,
            schema: uploadSchema,
          });
          options.onProgress?.({ phase: 'processing', bytesUploaded: Number(p.size ?? 0) });
          return p;
        },
        {
          isDone: done,
          minDelayMs: 250,
          maxDelayMs: 2_000,
          ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
  if (final.status === 'failed') {
    if (options.removeOnFail) await client.request({ ...call, method: 'DELETE', path: final.uri });
    if (options.raiseOnFail !== false)
      throw new UploadFailedError(
        final.uri,
        final.errorMessage,
        final.badRecordsCount as number | null | undefined,
      );
  }
  return final;
}
