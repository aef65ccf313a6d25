import { Hono } from 'hono';
import { requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { allowBody } from '../http/body-limit.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, readJsonObject } from '../http/errors.js';
import { receiveBody } from '../http/multipart.js';
import { ensureUploadDirs, removeFile, uploadFile } from '../ingest/files.js';
import { randomId } from '../store/ids.js';
import { addRawFiles, fileIndexTableFor, fileNameProblem, rawFileRepr } from './raw-file-uploads.js';
import {
  editableTable,
  newTempUploadSlot,
  storeTempUploadSlots,
  tempUploadSessionUrl,
} from './temp-uploads.js';

/**
 * The two `[doc-legacy]` write routes (spec §5.4.4, §5.9.1), kept because clients in the wild may still send them,
 * served as aliases of the current ones with the same access, scope and body rules:
 *
 * - `POST /tables/:ref/files?name=<fileName>`: the request body is one file for a file index table, added as
 *   `POST {table}/rawFiles` adds files (same name rules, same single transaction), answered 201 with one `rawFile`.
 *   The body streams to disk under the upload body limit, as a simple upload's does, so it never sits in memory.
 * - `POST /tables/:ref/resumableUpload?size=N` (or a JSON body `{size}`, as the 2021 Python client sent it): one
 *   resumable temp-upload slot whose session is already started, answered 201 `{kind: "resumableUpload", id, url}`.
 *   `url` is the session URL, so chunks are PUT to it directly with `Content-Range` (the GCS protocol of temp
 *   uploads, 308 + `Range` while incomplete); uploads.post then takes the id as `resumableUploadId`.
 */
export function legacyUploadsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const rawBody = allowBody(ctx.options.bodyLimits.upload);

  app.post('/tables/:tableRef/files', rawBody, async (c) => {
    const table = await fileIndexTableFor(c, ctx);
    const name = c.req.query('name');
    const problem = fileNameProblem(name);
    if (problem) throw badRequest(`${problem}: send it as POST {table}/files?name=<fileName>`);
    await ensureUploadDirs(ctx.dataDir);
    // Named by a server-made id; addRawFiles moves it into raw-files, so the removal only clears a failure.
    const path = uploadFile(ctx.dataDir, `rawfile_${randomId(16)}`);
    try {
      const got = await receiveBody(c, path);
      const md5 = Buffer.from(got.md5, 'hex').toString('base64');
      const [added] = await addRawFiles(ctx, table, [
        { name: name as string, received: { path, size: got.size, md5 } },
      ]);
      if (!added) throw new Error('addRawFiles returned no file');
      return c.json(rawFileRepr(ctx, added), 201);
    } finally {
      await removeFile(path);
    }
  });

  app.post('/tables/:tableRef/resumableUpload', async (c) => {
    requireUser(c);
    requireScope(c, 'data.edit');
    const table = await editableTable(c, ctx);
    const body = await readJsonObject(c);
    const size = c.req.query('size') ?? body.size;
    if (size === undefined || size === null) {
      throw badRequest('size is required: POST {table}/resumableUpload?size=<bytes>');
    }
    const slot = newTempUploadSlot(c, ctx, { tableId: table.table.id }, { size, resumable: true }, '');
    const session = randomId(32);
    await storeTempUploadSlots(ctx, [{ ...slot, session_id: session }]);
    return c.json(
      { kind: 'resumableUpload', id: slot.id, url: tempUploadSessionUrl(ctx, slot.id, session) },
      201,
    );
  });

  return app;
}
