import { namesMatch, type VariableType } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import { maxLevel } from '../auth/levels.js';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound, okText } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import { removeUploadRows } from '../ingest/unmerge.js';
import { type ResolvedTable, resolveTable } from '../http/resolve.js';
import { tableUploads, type UploadRow } from '../store/uploads.js';
import { uploadRepr, uploadSegment } from '../repr/uploads.js';
import { storageTable } from '../store/schema.js';
import { rowsResponse } from './rows-response.js';
import { variableTypeOfDuckDB } from '../store/duckdb-types.js';

/** The table of an upload route, with the access the route needs (edit adds credentials and `data.edit`). */
export async function tableFor(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  needed: 'metadata' | 'data' | 'edit',
) {
  if (needed === 'edit') {
    requireUser(c);
    requireScope(c, 'data.edit');
  }
  const resolved = await resolveTable(c, ctx, c.req.param('tableRef') as string);
  assertAccess(c, resolved.access, maxLevel(needed, resolved.minimumLevel));
  return resolved;
}

/** Upload names match leniently (escaped form, case-insensitive; `.` written `_` by the clients). */
export async function uploadFor(
  ctx: EmulatorContext,
  resolved: ResolvedTable,
  name: string,
): Promise<UploadRow> {
  // Through the read cache: a client polls its upload while it is processed, and nothing writes uploads meanwhile.
  const rows = await tableUploads(ctx.db.cached, resolved.table.id);
  const row = rows.find((u) => namesMatch(u.name, name) || namesMatch(u.name.replaceAll('.', '_'), name));
  if (!row) throw notFound(`Upload "${name}" not found`);
  return row;
}

/** The table URI as the caller addressed it (upload URIs extend it). */
export const tableUriOf = (c: Context<AppEnv>) => `/tables/${c.req.param('tableRef')}`;

/** The variables an upload imported (none before it completed). */
export async function uploadColumns(
  ctx: EmulatorContext,
  u: UploadRow,
): Promise<Array<{ name: string; type: VariableType }>> {
  if (u.columns) return JSON.parse(u.columns) as Array<{ name: string; type: VariableType }>;
  if (u.status !== 'completed') return [];
  const cols = await ctx.db.all<{ column_name: string; column_type: string }>(
    `DESCRIBE ${storageTable(u.storage)}`,
  );
  return cols
    .filter((c) => c.column_name !== '__empty')
    .map((c) => ({ name: c.column_name, type: variableTypeOfDuckDB(c.column_type) }));
}

/**
 * The read side of uploads (client-only endpoints): list, get, delete (unreleased versions only; the rows the upload
 * added leave the table with it, in one transaction), variables and rows. Read sessions are
 * upload-read-sessions.ts; creating uploads is the upload endpoints' job.
 */
export function uploadsReadRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const tableUri = tableUriOf;

  app.get('/tables/:tableRef/uploads', async (c) => {
    const resolved = await tableFor(c, ctx, 'metadata');
    const rows = await tableUploads(ctx.db.cached, resolved.table.id);
    return c.json(
      paginateArray(
        c,
        'uploadList',
        rows.map((u) => uploadRepr(ctx, u, tableUri(c), resolved.table.upload_merge_strategy)),
      ),
    );
  });

  app.get('/tables/:tableRef/uploads/:uploadName', async (c) => {
    const resolved = await tableFor(c, ctx, 'metadata');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    return c.json(uploadRepr(ctx, upload, tableUri(c), resolved.table.upload_merge_strategy));
  });

  app.delete('/tables/:tableRef/uploads/:uploadName', async (c) => {
    const resolved = await tableFor(c, ctx, 'edit');
    const version = resolved.container.kind === 'dataset' ? resolved.container.dataset.version : null;
    if (!version || version.is_released)
      throw badRequest('Uploads can only be deleted from an unreleased version');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    await ctx.db.transaction(async (tx) => {
      await removeUploadRows(tx, upload, ctx.now());
      await tx.run('DELETE FROM uploads WHERE id = ?', [upload.id]);
      // The seeded upload shares its storage with the table it filled; uploads made here own theirs.
      const users = await tx.one<{ n: number }>('SELECT count(*) AS n FROM tables WHERE storage = ?', [
        upload.storage,
      ]);
      if (!users?.n) await tx.run(`DROP TABLE IF EXISTS ${storageTable(upload.storage)}`);
    });
    return okText(c);
  });

  app.get('/tables/:tableRef/uploads/:uploadName/variables', async (c) => {
    const resolved = await tableFor(c, ctx, 'metadata');
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    const base = `${tableUri(c)}/uploads/${uploadSegment(upload.name)}`;
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
    const base = `${tableUri(c)}/uploads/${uploadSegment(upload.name)}`;
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

  return app;
}
