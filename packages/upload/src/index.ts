/**
 * `@redivis-ts/upload`: putting data into Redivis tables, browser-safe. {@link createUpload} routes content as the
 * official Python client does (multipart up to 1 MiB, temp uploads above, the GCS resumable protocol from 32 MiB)
 * and resumes from the server's committed offset after failures and restarts; {@link toParquet} turns Arrow
 * tables and row objects into Parquet with exact types; {@link insertRows} streams rows in batches.
 *
 * @example
 * ```ts
 * import { createTransport } from '@redivis-ts/core';
 * import { createUpload } from '@redivis-ts/upload';
 * const client = createTransport({ apiToken: process.env.REDIVIS_API_TOKEN });
 * await createUpload(client, { tableUri: '/tables/me.my_dataset:next.my_table', name: 'data.csv' }, 'a,b\n1,2\n');
 * ```
 *
 * @packageDocumentation
 */
export { createUpload, type UploadTarget, uploadUri, waitForUpload } from './create-upload.js';
export { ResumableUploadError, UploadFailedError, UploadUsageError } from './errors.js';
export { type InsertRowsOptions, type InsertRowsResult, insertRows, rowJson } from './insert-rows.js';
export {
  type CreateUploadOptions,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_STREAMED_CHUNK_SIZE,
  defaultChunkSize,
  MAX_SIMPLE_UPLOAD_SIZE,
  MIN_RESUMABLE_UPLOAD_SIZE,
  type SchemaVariable,
  type TransferSpecification,
  type UploadProgress,
  type VariableMetadata,
} from './options.js';
export { toParquet } from './parquet.js';
export { isTabularData, type RowInput, type TabularData } from './tabular.js';
export {
  committedFromRange,
  queryCommitted,
  type ResumableOptions,
  SessionGoneError,
  sendResumable,
  startResumableSession,
} from './resumable.js';
export { memoryResumeStore, RESUME_MAX_AGE_MS, type ResumeRecord, type ResumeStore } from './resume-store.js';
export { sendToSlot, type TempSendOptions, sendToTempUpload } from './send-bytes.js';
export {
  blobSource,
  bytesSource,
  iterableSource,
  toUploadSource,
  type UploadContent,
  type UploadSource,
} from './source.js';
export { createTempUploads, type TempUploadRequest } from './temp-uploads.js';
