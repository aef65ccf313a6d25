import type { TableProperties } from '@redivis-ts/core';
import { encodePathSegment, tableSchema } from '@redivis-ts/core';
import type { TabularData, UploadContent } from '@redivis-ts/upload';
import {
  bytesSource,
  isTabularData,
  sendToTempUpload,
  toParquet,
  toUploadSource,
  UploadUsageError,
} from '@redivis-ts/upload';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions, defined } from './context.js';

/** Options of `notebook.createOutputTable()`. */
export interface CreateOutputTableOptions extends MethodOptions {
  /** The output table's name (the notebook's default when absent). */
  name?: string;
  /** Append to the existing output rather than replace it. @defaultValue false */
  append?: boolean;
  /** Variables holding geography (WKT) values. */
  geographyVariables?: string[];
}

/** Tabular data (sent as Parquet) or the bytes of a Parquet file. */
export type OutputTableData = TabularData | UploadContent;

/**
 * The notebook-job side of `createOutputTable`: a temp upload under `/notebookJobs/{jobId}` (resumable above
 * 50 MB), then `PUT /notebookJobs/{jobId}/outputTable {name, append, geographyVariables, tempUploadId}`. @internal
 */
export async function putOutputTable(
  ctx: ResourceContext,
  jobId: string,
  data: OutputTableData,
  options: CreateOutputTableOptions = {},
): Promise<TableProperties> {
  const source = isTabularData(data) ? bytesSource(toParquet(data)) : toUploadSource(data as UploadContent);
  if (source.size === undefined) throw new UploadUsageError('The output table data must have a known size.');
  const jobUri = `/notebookJobs/${encodePathSegment(jobId)}`;
  const call = callOptions(options);
  const tempUploadId = await sendToTempUpload(ctx.client, source, source.size, {
    ...call,
    parentUri: jobUri,
    resumable: source.size > 5e7,
    store: { get: async () => undefined, set: async () => {}, delete: async () => {} },
    key: undefined,
    chunkSize: 8 * 2 ** 20,
    maxChunkRetries: 10,
  });
  return ctx.client.request({
    ...call,
    method: 'PUT',
    path: `${jobUri}/outputTable`,
    json: {
      append: options.append ?? false,
      tempUploadId,
      ...defined({ name: options.name, geographyVariables: options.geographyVariables }),
    },
    schema: tableSchema,
  });
}
