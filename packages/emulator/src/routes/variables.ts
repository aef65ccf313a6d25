import { type Context, Hono } from 'hono';
import { assertAccess, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { optString } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound, okText, readJsonObject } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import {
  assertResolvedAccess,
  type ResolvedTable,
  resolveDataset,
  resolveTable,
  resolveWorkflow,
} from '../http/resolve.js';
import { tableRepr } from '../repr/tables.js';
import { variableRepr } from '../repr/variables.js';
import type { Queryable } from '../store/db.js';
import type { VariableRow } from '../store/rows.js';
import { storageTable } from '../store/schema.js';
import { computeStatistics } from '../store/statistics.js';
import { isVariableType, VARIABLE_TYPES } from '@redivis-ts/core';

const MAX_VALUE_LABEL_CHARS = 1_000_000;

/** A validated metadata patch for one variable; `undefined` fields are left alone, `null` unsets. */
interface VariablePatch {
  label?: string | null;
  description?: string | null;
  valueLabels?: Array<{ value: string; label: string }>;
}

/** Accepts `valueLabels` as `[{value, label}]` (resource form) or `{value: label}` (legacy form); R's `value_labels` too. */
function readPatch(body: Record<string, unknown>): VariablePatch {
  const patch: VariablePatch = {};
  if ('label' in body) patch.label = body.label === null ? null : (optString(body, 'label', 256) ?? null);
  if ('description' in body) {
    patch.description = body.description === null ? null : (optString(body, 'description', 5000) ?? null);
  }
  const raw = 'valueLabels' in body ? body.valueLabels : body.value_labels;
  if (raw === null) patch.valueLabels = [];
  else if (Array.isArray(raw)) {
    patch.valueLabels = raw.map((e) => {
      if (!e || typeof e !== 'object' || !('value' in e) || !('label' in e)) {
        throw badRequest('valueLabels entries must be {value, label} objects');
      }
      const { value, label } = e as { value: unknown; label: unknown };
      if (typeof label !== 'string' || (value !== null && typeof value === 'object')) {
        throw badRequest('valueLabels entries must have a scalar value and a string label');
      }
      return { value: String(value), label };
    });
  } else if (raw !== undefined) {
    if (typeof raw !== 'object') throw badRequest('valueLabels must be an array or an object');
    patch.valueLabels = Object.entries(raw as Record<string, unknown>).map(([value, label]) => {
      if (typeof label !== 'string') throw badRequest('valueLabels values must be strings');
      return { value, label };
    });
  }
  if (patch.valueLabels) {
    const size = patch.valueLabels.reduce((n, e) => n + e.value.length + e.label.length, 0);
    if (size > MAX_VALUE_LABEL_CHARS) throw badRequest('valueLabels may hold at most 1,000,000 characters');
  }
  return patch;
}

/** Applies `p` to each variable; resolves to how many still existed (a parallel table delete removes them). */
async function applyPatch(tx: Queryable, variableIds: readonly string[], p: VariablePatch): Promise<number> {
  let changed = 0;
  for (const id of variableIds) {
    changed += await tx.run(
      `UPDATE variables SET label = CASE WHEN ? THEN ? ELSE label END,
         description = CASE WHEN ? THEN ? ELSE description END,
         value_labels = CASE WHEN ? THEN ? ELSE value_labels END WHERE id = ?`,
      [
        p.label !== undefined,
        p.label ?? null,
        p.description !== undefined,
        p.description ?? null,
        p.valueLabels !== undefined,
        JSON.stringify(p.valueLabels ?? []),
        id,
      ],
    );
  }
  return changed;
}

function findVariable(r: ResolvedTable, name: string): VariableRow {
  const v = r.variables.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!v) throw notFound(`Variable "${name}" not found in ${r.access.label}`);
  return v;
}

function readBulk(body: Record<string, unknown>): Array<{ name: string; patch: VariablePatch }> {
  const list = body.variables;
  if (!Array.isArray(list)) throw badRequest('variables must be an array');
  return list.map((entry) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      throw badRequest('variables entries must be objects');
    const e = entry as Record<string, unknown>;
    if (typeof e.name !== 'string' || e.name === '') throw badRequest('every variables entry needs a name');
    return { name: e.name, patch: readPatch(e) };
  });
}

async function bulkOnTables(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  tableIds: readonly string[],
  strict: boolean,
) {
  const entries = readBulk(await readJsonObject(c));
  // The variables are read in the transaction, so a table deleted by a parallel request is not patched (404).
  await ctx.db.transaction(async (tx) => {
    const vars = tableIds.length
      ? await tx.all<VariableRow>(
          `SELECT * FROM variables WHERE table_id IN (${tableIds.map(() => '?').join(', ')})`,
          tableIds,
        )
      : [];
    const plan = entries.map((e) => {
      const ids = vars.filter((v) => v.name.toLowerCase() === e.name.toLowerCase()).map((v) => v.id);
      if (strict && ids.length === 0) throw notFound(`Variable "${e.name}" not found`);
      return { ids, patch: e.patch };
    });
    for (const p of plan) await applyPatch(tx, p.ids, p.patch);
  });
  return okText(c);
}

/** Variables endpoints (spec §5.10): list/get/HEAD/patch, statistics, bulkPatch on tables, datasets and workflows. */
export function variablesRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const uriOf = (c: Context<AppEnv>, r: ResolvedTable) =>
    tableRepr(c, ctx, r, r.table, r.variables.length, 'list').uri as string;

  app.get('/tables/:tableRef/variables', async (c) => {
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertResolvedAccess(c, r, 'metadata');
    const type = c.req.query('type');
    if (type !== undefined && !isVariableType(type)) {
      throw badRequest(`type must be one of ${VARIABLE_TYPES.join(', ')}`);
    }
    const vars = type === undefined ? r.variables : r.variables.filter((v) => v.type === type);
    const page = paginateArray(c, 'variableList', vars, { max: 10_000 });
    const uri = uriOf(c, r);
    return c.json({ ...page, results: page.results.map((v) => variableRepr(ctx, uri, v, 'list')) });
  });

  app.get('/tables/:tableRef/variables/:name', async (c) => {
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertResolvedAccess(c, r, 'metadata');
    return c.json(variableRepr(ctx, uriOf(c, r), findVariable(r, c.req.param('name')), 'get'));
  });

  app.get('/tables/:tableRef/variables/:name/statistics', async (c) => {
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertResolvedAccess(c, r, 'metadata');
    const v = findVariable(r, c.req.param('name'));
    return c.json(await computeStatistics(ctx.db, storageTable(r.table.storage), v.name, v.type));
  });

  app.patch('/tables/:tableRef/variables/:name', async (c) => {
    requireUser(c);
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertAccess(c, r.access, 'edit');
    const v = findVariable(r, c.req.param('name'));
    const patch = readPatch(await readJsonObject(c));
    await ctx.db.transaction(async (tx) => {
      if (!(await applyPatch(tx, [v.id], patch))) {
        throw notFound(`Variable "${c.req.param('name')}" not found in ${r.access.label}`);
      }
    });
    const updated = await ctx.db.one<VariableRow>('SELECT * FROM variables WHERE id = ?', [v.id]);
    // A delete that commits right after the patch leaves nothing to represent: answer as a later request would.
    if (!updated) throw notFound(`Variable "${c.req.param('name')}" not found in ${r.access.label}`);
    return c.json(variableRepr(ctx, uriOf(c, r), updated, 'get'));
  });

  app.patch('/tables/:tableRef/variables', async (c) => {
    requireUser(c);
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertAccess(c, r.access, 'edit');
    return bulkOnTables(c, ctx, [r.table.id], true);
  });

  app.patch('/datasets/:datasetRef/variables', async (c) => {
    requireUser(c);
    const d = await resolveDataset(c, ctx, c.req.param('datasetRef'));
    assertAccess(c, d.access, 'edit');
    const tables = d.version
      ? await ctx.db.all<{ id: string }>('SELECT id FROM tables WHERE version_id = ?', [d.version.id])
      : [];
    return bulkOnTables(
      c,
      ctx,
      tables.map((t) => t.id),
      false,
    );
  });

  app.patch('/workflows/:workflowRef/variables', async (c) => {
    requireUser(c);
    const w = await resolveWorkflow(c, ctx, c.req.param('workflowRef'));
    assertAccess(c, w.access, 'edit');
    const tables = await ctx.db.all<{ id: string }>('SELECT id FROM tables WHERE workflow_id = ?', [
      w.workflow.id,
    ]);
    return bulkOnTables(
      c,
      ctx,
      tables.map((t) => t.id),
      false,
    );
  });

  return app;
}
