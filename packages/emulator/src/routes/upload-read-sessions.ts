import { type Context, Hono } from 'hono';
import { atLeast, maxLevel } from '../auth/levels.js';
import { assertAccess } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import type { ResolvedTable } from '../http/resolve.js';
import { resolveUploadReference } from '../http/resolve-upload.js';
import { storageTable } from '../store/schema.js';
import type { UploadRow } from '../store/uploads.js';
import { createReadSession } from './read-sessions.js';
import { tableFor, uploadColumns, uploadFor } from './uploads-read.js';

/** A read session over the rows `upload` imported; the caller's data access to its table was checked. */
async function uploadReadSession(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  resolved: ResolvedTable,
  upload: UploadRow,
): Promise<Response> {
  if (upload.status !== 'completed') {
    throw badRequest(
      `Upload ${upload.name} has not completed (status ${upload.status}); its rows cannot be read yet`,
    );
  }
  return createReadSession(c, ctx, {
    relation: storageTable(upload.storage),
    columns: await uploadColumns(ctx, upload),
    publicData: atLeast(resolved.access.publicLevel, 'data'),
  });
}

/**
 * Read sessions over an upload's rows (spec §5.7.1): `POST <upload.uri>/readSessions`, the path the clients use,
 * and `POST /uploads/:uploadReference/readSessions`, the path the readSessions page documents (`name:id` or an
 * upload id). Both need data access to the upload's table, as reading the table would.
 */
export function uploadReadSessionsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/tables/:tableRef/uploads/:uploadName/readSessions', async (c) => {
    const resolved = await tableFor(c, ctx, 'data');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    return uploadReadSession(c, ctx, resolved, upload);
  });

  app.post('/uploads/:uploadReference/readSessions', async (c) => {
    const { resolved, upload } = await resolveUploadReference(c, ctx, c.req.param('uploadReference'));
    assertAccess(c, resolved.access, maxLevel('data', resolved.minimumLevel));
    return uploadReadSession(c, ctx, resolved, upload);
  });

  return app;
}
