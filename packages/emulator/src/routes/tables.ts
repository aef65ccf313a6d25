import { escapeName } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import { assertAccess, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { optBool, optEnum, optName, optString, reqName } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, conflict, notFound, okText, readJsonObject } from '../http/errors.js';
import { paginateArray, paginateQuery } from '../http/pagination.js';
import {
  assertResolvedAccess,
  type ResolvedTable,
  resolveDataset,
  resolveTable,
  resolveWorkflow,
} from '../http/resolve.js';
import { tableRepr } from '../repr/tables.js';
import { randomId } from '../store/ids.js';
import type { Queryable } from '../store/db.js';
import type { TableRow } from '../store/rows.js';
import { storageTable } from '../store/schema.js';
import { createEmptyStorage, deleteTables, insertTable } from '../store/tables.js';
import { rowsResponse } from './rows-response.js';
import { datasetSourceTables } from './workflow-dataset-tables.js';

const MERGE = ['append', 'replace'] as const;

async function variableCounts(db: Queryable, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.all<{ table_id: string; n: number }>(
    `SELECT table_id, count(*) AS n FROM variables WHERE table_id IN (${ids.map(() => '?').join(', ')}) GROUP BY table_id`,
    ids,
  );
  return new Map(rows.map((r) => [r.table_id, r.n]));
}

async function listTables(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  r: Pick<ResolvedTable, 'container' | 'access'>,
  where: string,
  params: Array<string | boolean>,
): Promise<Response> {
  const page = await paginateQuery(c, 'tableList', (offset, limit) =>
    ctx.db.cached.all<TableRow>(
      `SELECT * FROM tables WHERE ${where} ORDER BY created_at, lower(name), id LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    ),
  );
  const counts = await variableCounts(
    ctx.db.cached,
    page.results.map((t) => t.id),
  );
  return c.json({
    ...page,
    results: page.results.map((t) => tableRepr(c, ctx, r, t, counts.get(t.id) ?? 0, 'list')),
  });
}

/** Editing a dataset table needs the unreleased version (spec §5.8.7); workflow tables need only edit access. */
const releasedError = (what: string) =>
  badRequest(`${what} only on the unreleased next version; reference the dataset with ":next"`);

function assertUnreleased(r: ResolvedTable, what: string): void {
  if (r.container.kind === 'dataset' && r.container.dataset.version?.is_released) throw releasedError(what);
}

/**
 * Inside the write's transaction: the table still exists (404, as a later request would get) and, for `what`, its
 * version is still unreleased (400): a parallel delete or release may have committed since the route checked.
 */
async function recheckTable(
  tx: Queryable,
  c: Context<AppEnv>,
  r: ResolvedTable,
  what?: string,
): Promise<void> {
  const row = await tx.one<{ released: boolean | null }>(
    'SELECT v.is_released AS released FROM tables t LEFT JOIN versions v ON v.id = t.version_id WHERE t.id = ?',
    [r.table.id],
  );
  if (!row) throw notFound(`Table "${c.req.param('tableRef')}" not found`);
  if (what !== undefined && row.released) throw releasedError(what);
}

async function nameTaken(
  db: Queryable,
  table: Pick<TableRow, 'version_id' | 'workflow_id'>,
  name: string,
  exceptRef?: string,
) {
  const rows = await db.all<{ name: string; reference_id: string }>(
    `SELECT name, reference_id FROM tables WHERE ${table.version_id ? 'version_id' : 'workflow_id'} = ?`,
    [table.version_id ?? table.workflow_id],
  );
  return rows.some((r) => r.reference_id !== exceptRef && escapeName(r.name) === escapeName(name));
}

/** Tables endpoints (spec §5.8): list on datasets and workflows, post, get/HEAD, patch, delete, listRows. */
export function tablesRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/datasets/:datasetRef/tables', async (c) => {
    const d = await resolveDataset(c, ctx, c.req.param('datasetRef'));
    assertResolvedAccess(c, d, 'overview');
    const r = { container: { kind: 'dataset' as const, dataset: d }, access: d.access };
    if (!d.version) return c.json({ kind: 'tableList', results: [], nextPageToken: null });
    return listTables(c, ctx, r, 'version_id = ? AND is_sample = ?', [d.version.id, d.sample]);
  });

  app.get('/workflows/:workflowRef/tables', async (c) => {
    const w = await resolveWorkflow(c, ctx, c.req.param('workflowRef'));
    assertAccess(c, w.access, 'overview');
    const include = c.req.query('includeDatasetTables');
    if (include !== undefined && include !== 'true' && include !== 'false') {
      throw badRequest('includeDatasetTables must be true or false');
    }
    if (include === 'true') {
      // The workflow's own tables, then its source datasets' tables; a short list, paged in memory.
      const own = await ctx.db.all<TableRow>(
        'SELECT * FROM tables WHERE workflow_id = ? ORDER BY created_at, lower(name), id',
        [w.workflow.id],
      );
      const sourced = await datasetSourceTables(c, ctx, w.workflow.id);
      const counts = await variableCounts(
        ctx.db,
        [...own, ...sourced.map((s) => s.table)].map((t) => t.id),
      );
      const wfr = { container: { kind: 'workflow' as const, workflow: w }, access: w.access };
      const items = [
        ...own.map((t) => tableRepr(c, ctx, wfr, t, counts.get(t.id) ?? 0, 'list')),
        ...sourced.map((s) =>
          tableRepr(
            c,
            ctx,
            { container: { kind: 'dataset', dataset: s.dataset }, access: s.dataset.access },
            s.table,
            counts.get(s.table.id) ?? 0,
            'list',
          ),
        ),
      ];
      return c.json(paginateArray(c, 'tableList', items));
    }
    return listTables(
      c,
      ctx,
      { container: { kind: 'workflow', workflow: w }, access: w.access },
      'workflow_id = ?',
      [w.workflow.id],
    );
  });

  app.post('/datasets/:datasetRef/tables', async (c) => {
    requireUser(c);
    const d = await resolveDataset(c, ctx, c.req.param('datasetRef'));
    assertAccess(c, d.access, 'edit');
    if (!d.version || d.version.is_released) {
      throw badRequest(
        'Tables can only be created on the unreleased next version; reference the dataset with ":next"',
      );
    }
    if (d.sample) throw badRequest('Tables cannot be created in a dataset sample');
    const version = d.version;
    const body = await readJsonObject(c);
    const name = reqName(body, 'name', 'table');
    const uploadMergeStrategy = optEnum(body, 'uploadMergeStrategy', MERGE) ?? 'append';
    const isFileIndex = optBool(body, 'isFileIndex') ?? false;
    const description = optString(body, 'description', 5000) ?? '';
    const t = ctx.now();
    const table = await ctx.db.transaction(async (tx) => {
      const now = await tx.one<{ released: boolean }>(
        'SELECT is_released AS released FROM versions WHERE id = ?',
        [version.id],
      );
      if (!now) throw notFound(`${d.access.label} has no unreleased next version`);
      if (now.released) throw releasedError('Tables can be created');
      if (await nameTaken(tx, { version_id: version.id, workflow_id: null }, name)) {
        throw conflict(`A table named "${name}" already exists in this version`);
      }
      // Reference ids are stable across versions, so they must not collide with any table of the dataset.
      let referenceId = randomId(4);
      while (
        await tx.one(
          'SELECT 1 FROM tables t JOIN versions v ON v.id = t.version_id WHERE v.dataset_id = ? AND t.reference_id = ?',
          [d.dataset.id, referenceId],
        )
      ) {
        referenceId = randomId(4);
      }
      const storage = await createEmptyStorage(tx, []);
      return insertTable(tx, {
        referenceId,
        containerKind: 'dataset',
        versionId: version.id,
        name,
        description,
        uploadMergeStrategy,
        isFileIndex,
        storage,
        at: t,
      });
    });
    const r = { container: { kind: 'dataset' as const, dataset: d }, access: d.access };
    return c.json(tableRepr(c, ctx, r, table, 0, 'get'), 201);
  });

  app.get('/tables/:tableRef', async (c) => {
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertResolvedAccess(c, r, 'overview');
    return c.json(tableRepr(c, ctx, r, r.table, r.variables.length, 'get'));
  });

  app.patch('/tables/:tableRef', async (c) => {
    requireUser(c);
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertAccess(c, r.access, 'edit');
    const body = await readJsonObject(c);
    const name = optName(body, 'name', 'table');
    const uploadMergeStrategy = optEnum(body, 'uploadMergeStrategy', MERGE);
    const description = optString(body, 'description', 5000);
    if (name !== undefined) {
      assertUnreleased(r, 'Tables can be renamed');
    }
    if (uploadMergeStrategy !== undefined) assertUnreleased(r, 'uploadMergeStrategy can be changed');
    await ctx.db.transaction(async (tx) => {
      await recheckTable(
        tx,
        c,
        r,
        name !== undefined || uploadMergeStrategy !== undefined ? 'Tables can be changed' : undefined,
      );
      if (name !== undefined && (await nameTaken(tx, r.table, name, r.table.reference_id))) {
        throw conflict(`A table named "${name}" already exists here`);
      }
      await tx.run(
        `UPDATE tables SET name = coalesce(?, name), upload_merge_strategy = coalesce(?, upload_merge_strategy),
           description = coalesce(?, description), updated_at = ? WHERE id = ? OR (sample_of = ?)`,
        [name ?? null, uploadMergeStrategy ?? null, description ?? null, ctx.now(), r.table.id, r.table.id],
      );
    });
    const table = await ctx.db.one<TableRow>('SELECT * FROM tables WHERE id = ?', [r.table.id]);
    // A delete that commits right after the patch leaves nothing to represent: answer as a later request would.
    if (!table) throw notFound(`Table "${c.req.param('tableRef')}" not found`);
    return c.json(tableRepr(c, ctx, r, table, r.variables.length, 'get'));
  });

  app.delete('/tables/:tableRef', async (c) => {
    requireUser(c);
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertAccess(c, r.access, 'edit');
    assertUnreleased(r, 'Tables can be deleted');
    await ctx.db.transaction(async (tx) => {
      await recheckTable(tx, c, r, 'Tables can be deleted');
      const samples = await tx.all<{ id: string }>('SELECT id FROM tables WHERE sample_of = ?', [r.table.id]);
      await deleteTables(tx, [r.table.id, ...samples.map((s) => s.id)]);
    });
    return okText(c);
  });

  app.get('/tables/:tableRef/rows', async (c) => {
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertResolvedAccess(c, { ...r, sample: r.table.is_sample }, 'data');
    const columns = r.variables.map((v) => ({ name: v.name, type: v.type }));
    return rowsResponse(c, ctx, storageTable(r.table.storage), columns);
  });

  return app;
}
