import { namesMatch } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import { atLeast, maxLevel } from '../auth/levels.js';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound, okText } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import { type ResolvedTable, resolveTable } from '../http/resolve.js';
import type { UploadRow } from '../store/files.js';
import { storageTable } from '../store/schema.js';
import { variableTypeOf } from '../store/tables.js';
import { createReadSession } from './read-sessions.js';
import { rowsResponse } from './rows-response.js';

async function tableFor(c: Context<AppEnv>, ctx: EmulatorContext, needed: 'metadata' | 'data' | 'edit') {
  if (needed === 'edit') {
    requireUser(c);
    requireScope(c, 'data.edit');
  }
  const resolved = await resolveTable(c, ctx, c.req.param('tableRef') as string);
  assertAccess(c, resolved.access, maxLevel(needed, resolved.minimumLevel));
  return resolved;
}

/** Upload names match leniently (escaped form, case-insensitive; `.` written `_` by the clients). */
async function uploadFor(ctx: EmulatorContext, resolved: ResolvedTable, name: string): Promise<UploadRow> {
  const rows = await ctx.db.all<UploadRow>('SELECT * FROM uploads WHERE table_id = ?', [resolved.table.id]);
  const row = rows.find((u) => namesMatch(u.name, name) || namesMatch(u.name.replaceAll('.', '_'), name));
  if (!row) throw notFound(`Upload "${name}" not found`);
  return row;
}

function uploadRepr(resolved: ResolvedTable, u: UploadRow, tableUri: string): Record<string, unknown> {
  return {
    kind: 'upload',
    uri: `${tableUri}/uploads/${encodeURIComponent(u.name.replaceAll('.', '_'))}`,
    id: u.id,
    name: u.name,
    status: u.status,
    type: u.type,
    errorMessage: u.error_message,
    hash: u.hash,
    size: u.size,
    numRows: u.num_rows,
    numBytes: u.num_bytes,
    mergeStrategy: resolved.table.upload_merge_strategy,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  };
}

async function uploadColumns(ctx: EmulatorContext, u: UploadRow) {
  const cols = await ctx.db.all<{ column_name: string; column_type: string }>(
    `DESCRIBE ${storageTable(u.storage)}`,
  );
  return cols
    .filter((c) => c.column_name !== '__empty')
    .map((c) => ({ name: c.column_name, type: variableTypeOf(c.column_type) }));
}

/**
 * The read side of uploads (client-only endpoints): list, get, delete (unreleased versions only), variables and
 * read sessions over the rows an upload imported. Creating uploads is the upload endpoints' job.
 */
export function uploadsReadRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tableUri = (c: Context<AppEnv>) => `/tables/${c.req.param('tableRef')}`;

  app.get('/tables/:tableRef/uploads', async (c) => {
    const resolved = await tableFor(c, ctx, 'metadata');
    const rows = await ctx.db.all<UploadRow>(
      'SELECT * FROM uploads WHERE table_id = ? ORDER BY created_at, id',
      [resolved.table.id],
    );
    return c.json(
      paginateArray(
        c,
        'uploadList',
        rows.map((u) => uploadRepr(resolved, u, tableUri(c))),
      ),
    );
  });

  app.get('/tables/:tableRef/uploads/:uploadName', async (c) => {
    const resolved = await tableFor(c, ctx, 'metadata');
    return c.json(
      uploadRepr(resolved, await uploadFor(ctx, resolved, c.req.param('uploadName')), tableUri(c)),
    );
  });

  app.delete('/tables/:tableRef/uploads/:uploadName', async (c) => {
    const resolved = await tableFor(c, ctx, 'edit');
    const version = resolved.container.kind === 'dataset' ? resolved.container.dataset.version : null;
    if (!version || version.is_released)
      throw badRequest('Uploads can only be deleted from an unreleased version');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    await ctx.db.run('DELETE FROM uploads WHERE id = ?', [upload.id]);
    return okText(c);
  });

  app.get('/tables/:tableRef/uploads/:uploadName/variables', async (c) => {
    const resolved = await tableFor(c, ctx, 'metadata');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    const base = `${tableUri(c)}/uploads/${encodeURIComponent(upload.name.replaceAll('.', '_'))}`;
    const items = (await uploadColumns(ctx, upload)).map((v, index) => ({
      kind: 'variable',
      uri: `${base}/variables/${encodeURIComponent(v.name)}`,
      name: v.name,
      type: v.type,
      index,
    }));
    return c.json(paginateArray(c, 'variableList', items, { defaultMax: 1000, max: 10_000 }));
  });

  app.get('/tables/:tableRef/uploads/:uploadName/variables/:name', async (c) => {
    const resolved = await tableFor(c, ctx, 'metadata');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    const columns = await uploadColumns(ctx, upload);
    const index = columns.findIndex((v) => v.name.toLowerCase() === c.req.param('name').toLowerCase());
    const v = columns[index];
    if (!v) throw notFound(`Variable "${c.req.param('name')}" not found in upload ${upload.name}`);
    const base = `${tableUri(c)}/uploads/${encodeURIComponent(upload.name.replaceAll('.', '_'))}`;
    return c.json({
      kind: 'variable',
      uri: `${base}/variables/${encodeURIComponent(v.name)}`,
      name: v.name,
      type: v.type,
      index,
    });
  });

  app.get('/tables/:tableRef/uploads/:uploadName/rows', async (c) => {
    const resolved = await tableFor(c, ctx, 'data');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    return rowsResponse(c, ctx, storageTable(upload.storage), await uploadColumns(ctx, upload));
  });

  app.post('/tables/:tableRef/uploads/:uploadName/readSessions', async (c) => {
    const resolved = await tableFor(c, ctx, 'data');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    return createReadSession(c, ctx, {
      relation: storageTable(upload.storage),
      columns: await uploadColumns(ctx, upload),
      publicData: atLeast(resolved.access.publicLevel, 'data'),
    });
  });

  return app;
}
