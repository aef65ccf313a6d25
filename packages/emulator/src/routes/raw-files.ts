import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { type Context, Hono } from 'hono';
import { maxLevel } from '../auth/levels.js';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound } from '../http/errors.js';
import { resolveTable } from '../http/resolve.js';
import { getQuery, outputColumns, queryOutputRelation } from '../store/queries.js';
import { storageTable } from '../store/schema.js';
import { quoteIdent } from '../store/identifiers.js';

/**
 * Raw files of file-index tables: `GET /tables/:ref/rawFiles?format=arrow` lists a table's files as an Arrow IPC
 * stream (`file_id`, the name column, `size`, `md5_hash`, `added_at`), answering `304` to an `If-Modified-Since`
 * no older than the newest file (also for query results: `GET /queries/:id/rawFiles`). Downloads: raw-file-downloads.ts.
 */
export function rawFilesRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** The listing of `relation` whose columns are `names`, as an Arrow IPC stream (or 304). */
  const listing = async (c: Context<AppEnv>, relation: string, names: ReadonlySet<string>) => {
    if (c.req.query('format') !== undefined && c.req.query('format') !== 'arrow') {
      throw badRequest('format must be "arrow"');
    }
    const idVar = c.req.query('fileIdVariable') ?? 'file_id';
    const nameVar = c.req.query('fileNameVariable') ?? 'file_name';
    for (const v of [idVar, nameVar]) if (!names.has(v)) throw badRequest(`Variable "${v}" not found`);
    for (const v of ['size', 'md5_hash', 'added_at']) if (!names.has(v)) throw badRequest('Not a file index');
    const newest = await ctx.db.one<{ t: number | null }>(
      `SELECT epoch_ms(max(added_at)) AS t FROM ${relation}`,
    );
    const since = Date.parse(c.req.header('If-Modified-Since') ?? '');
    if (!Number.isNaN(since) && newest?.t != null && Math.floor(newest.t / 1000) * 1000 <= since) {
      return c.body(null, 304);
    }
    const rows = await ctx.db.all<{ id: string; name: string; size: number; md5: string; at: number }>(
      `SELECT ${quoteIdent(idVar)} AS id, ${quoteIdent(nameVar)} AS name, size, md5_hash AS md5,
         epoch_ms(added_at) AS at FROM ${relation} ORDER BY 2`,
    );
    const table = tableFromArrays({
      file_id: rows.map((r) => r.id),
      [nameVar]: rows.map((r) => r.name),
      size: BigInt64Array.from(rows.map((r) => BigInt(r.size))),
      md5_hash: rows.map((r) => r.md5),
      added_at: rows.map((r) => new Date(r.at)),
    });
    return c.body(new Uint8Array(tableToIPC(table, 'stream')), 200, {
      'Content-Type': 'application/vnd.apache.arrow.stream',
    });
  };

  app.get('/tables/:tableRef/rawFiles', async (c) => {
    const resolved = await resolveTable(c, ctx, c.req.param('tableRef') as string);
    assertAccess(c, resolved.access, maxLevel('data', resolved.minimumLevel));
    return listing(c, storageTable(resolved.table.storage), new Set(resolved.variables.map((v) => v.name)));
  });

  app.get('/queries/:queryId/rawFiles', async (c) => {
    const user = requireUser(c);
    requireScope(c, 'data.data', 'data.edit');
    const row = await getQuery(ctx.db, c.req.param('queryId'));
    if (!row || row.user_id !== user.id) throw notFound(`Query ${c.req.param('queryId')} not found`);
    if (row.status !== 'completed')
      throw badRequest(`Query ${row.id} has no output: its status is ${row.status}`);
    return listing(c, queryOutputRelation(row.id), new Set(outputColumns(row).map((col) => col.name)));
  });

  return app;
}
