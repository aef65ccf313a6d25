import type { CallOptions, RedivisTransport, TempUpload } from '@redivis-ts/core';
import { z } from 'zod';

const tempUploadListSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      id: z.string().min(1),
      url: z.string().min(1),
      resumable: z.boolean().optional(),
    }),
  ),
});

/** One slot to request. */
export interface TempUploadRequest {
  /** Exact bytes that will be sent. */
  size: number;
  /** Unique within the table (the notebook endpoint takes none). */
  name?: string;
  /** Ask for a resumable slot. */
  resumable: boolean;
}

/**
 * `POST {parentUri}/tempUploads {tempUploads:[…]}` — slots for bytes, in request order. `parentUri` is a table's
 * (`/tables/…`) or a notebook job's (`/notebookJobs/{id}`).
 *
 * @param client - The core client.
 * @param parentUri - Where the slots belong.
 * @param items - One entry per file (at most 1,000).
 * @param call - Transport options.
 */
export async function createTempUploads(
  client: RedivisTransport,
  parentUri: string,
  items: TempUploadRequest[],
  call: CallOptions = {},
): Promise<TempUpload[]> {
  const response = await client.request({
    ...call,
    method: 'POST',
    path: `${parentUri}/tempUploads`,
    json: { tempUploads: items },
    schema: tempUploadListSchema,
  });
  return response.results.map((r, i) => ({
    id: r.id,
    url: r.url,
    resumable: r.resumable ?? (items[i] as TempUploadRequest).resumable,
  }));
}
