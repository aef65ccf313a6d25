import type { ExportProperties } from '@redivis-ts/core';
import { mkdir, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { assertExportAllowed } from '../auth/export-restrictions.js';
import { maxLevel } from '../auth/levels.js';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound, readJsonObject } from '../http/errors.js';
import { resolveTable } from '../http/resolve.js';
import { randomId } from '../store/ids.js';
import { datasetUserLevel } from '../store/datasets.js';
import type { ExportRow } from '../store/files.js';
import type { DatasetRow } from '../store/rows.js';
import { storageTable } from '../store/schema.js';

/** Formats DuckDB writes natively; `avro`, `dta` and `sav` are refused with a 400 (documented in the README). */
const COPY_FORMATS: Record<string, string> = {
  csv: 'FORMAT CSV, HEADER',
  parquet: 'FORMAT PARQUET',
  ndjson: 'FORMAT JSON',
};

function exportRepr(e: ExportRow): ExportProperties {
  const done = e.status === 'completed';
  return {
    kind: 'export',
    uri: `/exports/${e.id}`,
    id: e.id,
    createdAt: e.created_at,
    status: e.status,
    errorMessage: e.error_message,
    percentCompleted: done ? 100 : 0,
    format: e.format,
    size: done ? e.size : null,
    fileCount: done ? 1 : null,
    table: { kind: 'table', name: e.table_name, qualifiedReference: e.table_name },
  };
}

/**
 * Exports (`POST /tables/:ref/exports`, `GET /exports/:id`, `GET /exports/:id/download?filePart=0`): the table is
 * written with DuckDB COPY into the data dir as one part, in the background (the job is `running` until then).
 * Export restrictions (src/auth/export-restrictions.ts) are checked when the export is created and again on download.
 */
export function exportsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const pending = new Set<Promise<void>>();
  ctx.onStop(async () => {
    await Promise.allSettled([...pending]);
  });
  const app = new Hono<AppEnv>();

  const ownExport = async (userId: string, id: string) => {
    const row = await ctx.db.one<ExportRow>('SELECT * FROM exports WHERE id = ?', [id]);
    if (!row || row.user_id !== userId) throw notFound(`Export ${id} not found`);
    return row;
  };

  app.post('/tables/:tableRef/exports', async (c) => {
    const user = requireUser(c);
    requireScope(c, 'data.data', 'data.edit');
    const resolved = await resolveTable(c, ctx, c.req.param('tableRef') as string);
    assertAccess(c, resolved.access, maxLevel('data', resolved.minimumLevel));
    const dataset = resolved.container.kind === 'dataset' ? resolved.container.dataset.dataset : null;
    if (dataset) {
      assertExportAllowed(c, {
        dataset,
        userLevel: resolved.access.userLevel,
        userName: user.name,
        rows: resolved.table.num_rows,
        bytes: resolved.table.num_bytes,
      });
    }
    const body = await readJsonObject(c);
    const format = body.format ?? 'csv';
    if (typeof format !== 'string' || !(format in COPY_FORMATS)) {
      throw badRequest(`format "${String(format)}" is not supported by the emulator (csv, parquet, ndjson)`);
    }
    const id = randomId(12);
    const dir = join(ctx.dataDir, 'exports');
    const path = join(dir, `${id}.${format}`);
    await ctx.db.run("INSERT INTO exports VALUES (?, ?, ?, ?, ?, 'running', NULL, ?, NULL, ?)", [
      id,
      user.id,
      resolved.table.id,
      resolved.table.name,
      format,
      path,
      ctx.now(),
    ]);
    const relation = storageTable(resolved.table.storage);
    const job = (async () => {
      try {
        await mkdir(dir, { recursive: true });
        const conn = await ctx.db.openStreamConnection();
        try {
          await conn.run(
            `COPY (SELECT * FROM ${relation}) TO '${path.replaceAll("'", "''")}' (${COPY_FORMATS[format]})`,
          );
        } finally {
          ctx.db.releaseStreamConnection(conn);
        }
        const { size } = await stat(path);
        await ctx.db.run("UPDATE exports SET status = 'completed', size = ? WHERE id = ?", [size, id]);
      } catch (error) {
        await ctx.db.run("UPDATE exports SET status = 'failed', error_message = ? WHERE id = ?", [
          error instanceof Error ? error.message : String(error),
          id,
        ]);
      }
    })().finally(() => pending.delete(job));
    pending.add(job);
    return c.json(exportRepr(await ownExport(user.id, id)));
  });

  app.get('/exports/:exportId', async (c) => {
    const user = requireUser(c);
    requireScope(c, 'data.data', 'data.edit');
    return c.json(exportRepr(await ownExport(user.id, c.req.param('exportId'))));
  });

  app.get('/exports/:exportId/download', async (c) => {
    const user = requireUser(c);
    requireScope(c, 'data.data', 'data.edit');
    const row = await ownExport(user.id, c.req.param('exportId'));
    // Checked again at download: the restrictions (or the caller's address) may have changed since the export.
    const source = await ctx.db.one<DatasetRow & { num_rows: number; num_bytes: number }>(
      `SELECT d.*, t.num_rows, t.num_bytes FROM tables t JOIN versions v ON v.id = t.version_id
         JOIN datasets d ON d.id = v.dataset_id WHERE t.id = ?`,
      [row.table_id],
    );
    if (source) {
      assertExportAllowed(c, {
        dataset: source,
        userLevel: await datasetUserLevel(ctx.db, source, user.id),
        userName: user.name,
        rows: source.num_rows,
        bytes: source.num_bytes,
      });
    }
    if (row.status !== 'completed' || !row.path)
      throw badRequest(`Export ${row.id} is ${row.status}, not completed`);
    const part = c.req.query('filePart') ?? '0';
    if (part !== '0') throw notFound(`Export ${row.id} has no file part ${part}`);
    const name = `${row.table_name.replace(/\W+/g, '_').toLowerCase()}.${row.format}`;
    return new Response(Readable.toWeb(createReadStream(row.path)) as ReadableStream, {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(row.size ?? 0),
        'Content-Disposition': `attachment; filename="${name}"`,
      },
    });
  });

  return app;
}
