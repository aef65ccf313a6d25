import type { UploadProperties } from '@redivis-ts/core';
import type {
  CreateUploadOptions,
  InsertRowsOptions,
  InsertRowsResult,
  RowInput,
  TabularData,
  UploadContent,
} from '@redivis-ts/upload';
import { createUpload, insertRows } from '@redivis-ts/upload';
import type { ResourceContext } from './context.js';

/** Options of `upload.create()`: those of `@redivis-ts/upload`'s `createUpload`. */
export type UploadCreateOptions = CreateUploadOptions;

/** What `upload.create()` accepts: bytes, text, Blobs, streams, upload sources, or tabular data (sent as Parquet). */
export type UploadCreateContent = UploadContent | TabularData;

/** `upload.create()`: the platform's resume store unless the call names one. @internal */
export function createUploadFor(
  ctx: ResourceContext,
  tableUri: string,
  name: string,
  content: UploadCreateContent | undefined,
  options: UploadCreateOptions = {},
): Promise<UploadProperties> {
  const resumeStore = options.resumeStore ?? ctx.platform.resumeStore;
  return createUpload(ctx.client, { tableUri, name }, content, {
    ...options,
    ...(resumeStore ? { resumeStore } : {}),
  });
}

/** `upload.insertRows()`. @internal */
export function insertRowsFor(
  ctx: ResourceContext,
  uploadUri: string,
  rows: Iterable<RowInput> | AsyncIterable<RowInput>,
  options?: InsertRowsOptions,
): Promise<InsertRowsResult> {
  return insertRows(ctx.client, uploadUri, rows, options);
}
