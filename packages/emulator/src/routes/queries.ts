import { Hono, type Context } from 'hono';
import { requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound, readJsonObject } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import { resolveDataset, resolveWorkflow } from '../http/resolve.js';
import { randomId } from '../store/ids.js';
import { sandboxInputs } from '../sql/execute.js';
import { QueryRunner } from '../sql/runner.js';
import { sandboxPool } from '../sql/sandbox.js';
import { SqlTranslationError, type TranslatedSql, translateSql } from '../sql/translate.js';
import {
  getQuery,
  insertQuery,
  failInterruptedQueries,
  outputColumns,
  type QueryRow,
  queryOutputRelation,
  queryRepr,
  queryVariableRepr,
} from '../store/queries.js';
import { type QueryDefaults, resolveQueryTable } from './query-tables.js';
import { rowsResponse } from './rows-response.js';

/** Longest accepted query text (spec §2.6). */
export const MAX_QUERY_LENGTH = 256_000;
const DATA_SCOPES = ['data.data', 'data.edit'];

function optionalReference(body: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = body[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw badRequest(`${key} must be a string reference`);
    return value;
  }
  return null;
}

function timeoutOf(body: Record<string, unknown>): number {
  const value = body.timeoutMs ?? 30_000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 60_000) {
    throw badRequest('timeoutMs must be an integer between 0 and 60000');
  }
  return value;
}

/** The caller's query, or 404 (other users' queries are invisible). */
async function ownQuery(c: Context<AppEnv>, ctx: EmulatorContext, runner: QueryRunner): Promise<QueryRow> {
  const user = requireUser(c);
  requireScope(c, ...DATA_SCOPES);
  const id = c.req.param('queryId') as string;
  const row = runner.ended(id) ?? (await getQuery(ctx.db.cached, id));
  if (!row || row.user_id !== user.id) throw notFound(`Query ${c.req.param('queryId')} not found`);
  return row;
}

/** The query's output, or 400 while it has none. */
export function requireCompleted(row: QueryRow): void {
  if (row.status !== 'completed') {
    throw badRequest(`Query ${row.id} has no output: its status is ${row.status}`);
  }
}

/**
 * Queries (spec §5.6): POST starts a job running Redivis SQL in a sandbox (sql/sandbox.ts) against the tables it
 * references (data access required on each) and waits up to `timeoutMs` for it; the job goes on in the background
 * (queued → running → completed | failed | cancelled) and `POST /queries/:id/cancel` stops it. Outputs are stored
 * DuckDB tables read through listRows, variables and read sessions (readSessions.ts). Query records persist across
 * restarts; a job interrupted by a stop is marked failed.
 */
export function queriesRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const runner = new QueryRunner(
    ctx.db,
    () => ctx.now(),
    { timeLimitMs: ctx.options.queryTimeLimitMs, outputLimitBytes: ctx.options.queryOutputLimitBytes },
    sandboxPool(ctx),
  );
  ctx.onStartup(() => failInterruptedQueries(ctx.db, ctx.now()));
  ctx.onStop(() => runner.stop());
  const app = new Hono<AppEnv>();

  app.post('/queries', async (c) => {
    const user = requireUser(c);
    requireScope(c, ...DATA_SCOPES);
    const body = await readJsonObject(c);
    if (typeof body.query !== 'string' || body.query.trim() === '') throw badRequest('query is required');
    if (body.query.length > MAX_QUERY_LENGTH) {
      throw badRequest(`query must be at most ${MAX_QUERY_LENGTH} characters`);
    }
    const timeoutMs = timeoutOf(body);
    const defaults: QueryDefaults = {
      defaultWorkflow: optionalReference(body, 'defaultWorkflow', 'defaultProject'),
      defaultDataset: optionalReference(body, 'defaultDataset'),
    };
    // Unknown default containers are request errors (404), not query failures.
    if (defaults.defaultWorkflow) await resolveWorkflow(c, ctx, defaults.defaultWorkflow);
    if (defaults.defaultDataset) await resolveDataset(c, ctx, defaults.defaultDataset);

    let translated: TranslatedSql | undefined;
    let failure: string | undefined;
    const { resolve, inputs } = sandboxInputs((ref) => resolveQueryTable(c, ctx, ref, defaults));
    try {
      translated = await translateSql(body.query, resolve);
    } catch (error) {
      if (!(error instanceof SqlTranslationError)) throw error;
      failure = error.message;
    }
    const id = `${randomId(4)}-${randomId(10)}`;
    const now = ctx.now();
    const row: QueryRow = {
      id,
      user_id: user.id,
      query: body.query,
      default_dataset: defaults.defaultDataset,
      default_workflow: defaults.defaultWorkflow,
      status: failure === undefined ? 'queued' : 'failed',
      error_message: failure ?? null,
      output_schema: null,
      output_num_rows: null,
      output_num_bytes: null,
      created_at: now,
      started_at: null,
      completed_at: failure === undefined ? null : now,
    };
    if (!translated) {
      await insertQuery(ctx.db, row);
      return c.json(queryRepr(row));
    }
    // The runner writes the row once the id is handed out or the job ended, whichever comes first.
    runner.submit({ row, translated, inputs });
    return c.json(queryRepr(await runner.settle(id, timeoutMs)));
  });

  app.get('/queries/:queryId', async (c) => c.json(queryRepr(await ownQuery(c, ctx, runner))));

  // Like the transforms' cancel: answers the resource, `cancelled` unless the job had already ended.
  app.post('/queries/:queryId/cancel', async (c) => {
    const row = await ownQuery(c, ctx, runner);
    await runner.cancel(row.id);
    return c.json(queryRepr((await getQuery(ctx.db.cached, row.id)) as QueryRow));
  });

  app.get('/queries/:queryId/variables', async (c) => {
    const row = await ownQuery(c, ctx, runner);
    requireCompleted(row);
    const variables = outputColumns(row).map((column, i) => queryVariableRepr(row.id, column, i));
    return c.json(paginateArray(c, 'variableList', variables, { defaultMax: 1000, max: 10_000 }));
  });

  app.get('/queries/:queryId/variables/:name', async (c) => {
    const row = await ownQuery(c, ctx, runner);
    requireCompleted(row);
    const name = (c.req.param('name') as string).toLowerCase();
    const columns = outputColumns(row);
    const index = columns.findIndex((column) => column.name.toLowerCase() === name);
    if (index < 0) throw notFound(`Variable ${c.req.param('name')} not found in query ${row.id}`);
    return c.json(queryVariableRepr(row.id, columns[index] as (typeof columns)[number], index));
  });

  app.get('/queries/:queryId/rows', async (c) => {
    const row = await ownQuery(c, ctx, runner);
    requireCompleted(row);
    const size = { numBytes: row.output_num_bytes ?? 0, numRows: row.output_num_rows ?? 0 };
    return rowsResponse(c, ctx, queryOutputRelation(row.id), outputColumns(row), size);
  });

  return app;
}
