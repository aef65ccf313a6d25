import type { TableProperties } from '@redivis-ts/core';
import { encodePathSegment, tableSchema } from '@redivis-ts/core';
import type { TabularData, UploadContent, UploadSource } from '@redivis-ts/upload';
import {
  bytesSource,
  isTabularData,
  memoryResumeStore,
  sendToTempUpload,
  toParquet,
  toUploadSource,
} from '@redivis-ts/upload';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions } from './context.js';
import { PlatformFeatureError, ResourceUsageError } from './platform.js';

/** Options of `notebook.createOutputTable()` (Python's `create_output_table` keywords). */
export interface CreateOutputTableOptions extends MethodOptions {
  /** The output table's name; absent: the current output's name (or the notebook's default). */
  name?: string;
  /** Append the rows to the existing output table instead of replacing it. @defaultValue false */
  append?: boolean;
  /** Variables whose values are WKT strings to store as `geography`; other strings stay strings. */
  geographyVariables?: string[];
  /** Bytes per chunk of a resumable transfer (data above 50 MB). @defaultValue 8 MiB */
  chunkSize?: number;
  /** Called with the bytes the server has committed so far. */
  onProgress?: (progress: { bytesUploaded: number; totalBytes: number }) => void;
}

/**
 * What `createOutputTable()` writes: tabular data (an apache-arrow `Table`, `RecordBatch[]` or row objects, sent
 * as Parquet as the Python client sends data frames), a local `.parquet` path (Node: read through `platform.fs`), or
 * a Parquet file's bytes (`Uint8Array`, `Blob`, stream, `UploadSource`).
 */
export type OutputTableData = TabularData | UploadContent;

/** Python's resumable threshold for notebook output (`resumable: size > 5e7`). */
const RESUMABLE_ABOVE_BYTES = 5e7;
/** Resumable chunks are multiples of 256 KiB (the GCS rule the upload package follows too). */
const CHUNK_GRANULARITY = 256 * 1024;
const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1", at both ends of every Parquet file

function isParquet(bytes: Uint8Array): boolean {
  const n = bytes.byteLength;
  return n >= 8 && PARQUET_MAGIC.every((b, i) => bytes[i] === b && bytes[n - 4 + i] === b);
}

/**
 * The Parquet bytes to send. A string is a path, as in Python; Python also reads `.csv`, `.dta` and `.sas7bdat`
 * paths with pandas, which has no JavaScript counterpart, so those are refused with a pointer to tabular data.
 */
async function outputSource(ctx: ResourceContext, data: OutputTableData): Promise<UploadSource> {
  if (isTabularData(data)) return bytesSource(toParquet(data));
  if (typeof data === 'string') {
    if (!/\.parquet$/i.test(data)) {
      throw new ResourceUsageError(
        `createOutputTable() takes a .parquet path (got "${data}"); read other files into an Arrow table or row ` +
          'objects first and pass those.',
      );
    }
    const fs = ctx.platform.fs;
    if (!fs?.source) throw new PlatformFeatureError('fs', 'notebook.createOutputTable() with a local path');
    return fs.source(data);
  }
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data;
  if (bytes instanceof Uint8Array && !isParquet(bytes)) {
    throw new ResourceUsageError(
      'createOutputTable() data bytes must be a Parquet file; pass an Arrow table or row objects to have them ' +
        'written as Parquet.',
    );
  }
  return toUploadSource(bytes as UploadContent);
}

/**
 * The notebook-job side of `createOutputTable` (client-libraries §3.11): the data as Parquet into a temp upload
 * of the job (`POST /notebookJobs/{jobId}/tempUploads`, resumable above 50 MB), then
 * `PUT /notebookJobs/{jobId}/outputTable {name, append, geographyVariables, tempUploadId}` with every key, nulls
 * included, as the Python client sends it. @internal
 */
export async function putOutputTable(
  ctx: ResourceContext,
  jobId: string,
  data: OutputTableData,
  options: CreateOutputTableOptions = {},
): Promise<TableProperties> {
  const source = await outputSource(ctx, data);
  if (source.size === undefined) {
    throw new ResourceUsageError('createOutputTable() data must have a known size (bytes, a Blob, a path).');
  }
  const size = source.size;
  const jobUri = `/notebookJobs/${encodePathSegment(jobId)}`;
  const call = callOptions(options);
  const tempUploadId = await sendToTempUpload(ctx.client, source, size, {
    ...call,
    parentUri: jobUri,
    resumable: size > RESUMABLE_ABOVE_BYTES,
    // The job's slots live only as long as the job: nothing to resume in another process.
    store: memoryResumeStore(),
    key: undefined,
    chunkSize:
      Math.max(1, Math.ceil((options.chunkSize ?? 8 * 2 ** 20) / CHUNK_GRANULARITY)) * CHUNK_GRANULARITY,
    maxChunkRetries: 10,
    ...(options.onProgress
      ? { onCommitted: (bytesUploaded: number) => options.onProgress?.({ bytesUploaded, totalBytes: size }) }
      : {}),
  });
  return ctx.client.request({
    ...call,
    method: 'PUT',
    path: `${jobUri}/outputTable`,
    json: {
      name: options.name ?? null,
      append: options.append ?? false,
      geographyVariables: options.geographyVariables ?? null,
      tempUploadId,
    },
    schema: tableSchema,
  });
}
