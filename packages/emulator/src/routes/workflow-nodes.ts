import { namesMatch } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import { optName } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound, readJsonObject } from '../http/errors.js';
import type { ResolvedWorkflow } from '../http/resolve.js';
import { resolveTable } from '../http/resolve.js';
import { nodeRepr } from '../repr/workflow-nodes.js';
import { randomId } from '../store/ids.js';
import {
  cleanMessage,
  type QueryInput,
  QueryExecutionError,
  runQueryInSandbox,
  sandboxInputs,
} from '../sql/execute.js';
import { sandboxPool } from '../sql/sandbox.js';
import { SqlTranslationError, type TranslatedSql, translateSql } from '../sql/translate.js';
import { storageTable } from '../store/schema.js';
import { deleteTables, insertTable, newStorageName } from '../store/tables.js';
import { finishJob, latestJob, type NodeRow } from '../store/workflow-nodes.js';
import { resolveQueryTable } from './query-tables.js';
import { workflowFor } from './workflow-access.js';
import { workflowBase } from '../repr/workflows.js';

/** The node addressed by `owner.workflow[:ref].name[:ref]`, with its workflow (read or edit access checked). */
async function nodeFor(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  kind: NodeRow['kind'],
  needed: 'data' | 'edit',
): Promise<{ wf: ResolvedWorkflow; node: NodeRow }> {
  const ref = c.req.param('nodeRef') as string;
  const parts = ref.split('.');
  if (parts.length !== 3) throw badRequest(`"${ref}" is not a ${kind} reference (owner.workflow.${kind})`);
  const wf = await workflowFor(c, ctx, needed, `${parts[0]}.${parts[1]}`);
  const [name, referenceId] = (parts[2] as string).split(':');
  const rows = await ctx.db.all<NodeRow>('SELECT * FROM wf_nodes WHERE workflow_id = ? AND kind = ?', [
    wf.workflow.id,
    kind,
  ]);
  const node = referenceId
    ? rows.find((n) => n.reference_id.toLowerCase() === referenceId.toLowerCase())
    : rows.find((n) => namesMatch(n.name, name as string));
  if (!node) throw notFound(`${kind === 'notebook' ? 'Notebook' : 'Transform'} "${ref}" not found`);
  return { wf, node };
}

async function refreshed(c: Context<AppEnv>, ctx: EmulatorContext, wf: ResolvedWorkflow, id: string) {
  const node = (await ctx.db.one<NodeRow>('SELECT * FROM wf_nodes WHERE id = ?', [id])) as NodeRow;
  return c.json(await nodeRepr(c, ctx, wf, node));
}

async function patchNode(c: Context<AppEnv>, ctx: EmulatorContext, kind: NodeRow['kind']) {
  const { wf, node } = await nodeFor(c, ctx, kind, 'edit');
  const body = await readJsonObject(c);
  const name = optName(body, 'name', kind) ?? node.name;
  let sourceRef = node.source_table_ref;
  if (body.sourceTable !== undefined) {
    if (body.sourceTable !== null && typeof body.sourceTable !== 'string') {
      throw badRequest('sourceTable must be a table reference');
    }
    if (body.sourceTable) await resolveTable(c, ctx, body.sourceTable);
    sourceRef = body.sourceTable;
  }
  let query = node.query;
  if (kind === 'transform' && body.query !== undefined) {
    if (typeof body.query !== 'string') throw badRequest('query must be a string');
    query = body.query;
  }
  await ctx.db.run(
    'UPDATE wf_nodes SET name = ?, source_table_ref = ?, query = ?, updated_at = ? WHERE id = ?',
    [name, sourceRef, query, ctx.now(), node.id],
  );
  return refreshed(c, ctx, wf, node.id);
}

async function startJob(ctx: EmulatorContext, node: NodeRow, status: 'queued' | 'running'): Promise<string> {
  const id = `${node.reference_id}-${randomId(9)}`;
  // Check and insert in one transaction: of parallel runs, one starts and the others see it running (400).
  await ctx.db.transaction(async (tx) => {
    const active = await latestJob(tx, node.id);
    if (active && (active.status === 'queued' || active.status === 'running')) {
      throw badRequest(`This ${node.kind} is already running`);
    }
    await tx.run('INSERT INTO wf_jobs VALUES (?, ?, ?, NULL, ?, NULL)', [id, node.id, status, ctx.now()]);
  });
  return id;
}

/** Runs a transform's translated SQL into a new storage table and swaps it in as the output table. */
async function executeTransform(
  ctx: EmulatorContext,
  wf: ResolvedWorkflow,
  node: NodeRow,
  jobId: string,
  translated: TranslatedSql,
  inputs: readonly QueryInput[],
): Promise<void> {
  const storage = newStorageName();
  const pool = sandboxPool(ctx);
  const sandbox = await pool.acquire();
  // Transforms run in a sandbox like queries (sql/sandbox.ts), under the same time and output limits. DuckDB
  // forgets an interrupt arriving between statements, hence the signal and the repeated interrupt.
  const timeUp = new AbortController();
  let repeat: ReturnType<typeof setInterval> | undefined;
  const timer = setTimeout(() => {
    timeUp.abort(new Error('time limit'));
    sandbox.interrupt();
    repeat = setInterval(() => sandbox.interrupt(), 50);
  }, ctx.options.queryTimeLimitMs);
  try {
    await runQueryInSandbox(
      {
        sandbox,
        signal: timeUp.signal,
        openMain: () => ctx.db.openStreamConnection(),
        releaseMain: (conn) => ctx.db.releaseStreamConnection(conn),
        inputs,
        output: { schema: 'tabledata', table: storage },
        outputLimitBytes: ctx.options.queryOutputLimitBytes,
      },
      translated,
    );
  } catch (error) {
    const message = sandbox.spoiled
      ? `Transform exceeded the emulator's time limit of ${ctx.options.queryTimeLimitMs} ms (queryTimeLimitMs)`
      : error instanceof QueryExecutionError || error instanceof SqlTranslationError
        ? error.message
        : cleanMessage(error, translated);
    await ctx.db.run(`DROP TABLE IF EXISTS ${storageTable(storage)}`).catch(() => undefined);
    await finishJob(ctx.db, jobId, 'failed', ctx.now(), message);
    return;
  } finally {
    clearTimeout(timer);
    clearInterval(repeat);
    await pool.release(sandbox);
  }
  await ctx.db.transaction(async (tx) => {
    const job = await tx.one<{ status: string }>('SELECT status FROM wf_jobs WHERE id = ?', [jobId]);
    if (job?.status !== 'running') {
      await tx.run(`DROP TABLE IF EXISTS ${storageTable(storage)}`);
      return;
    }
    if (node.output_table_id) await deleteTables(tx, [node.output_table_id]);
    const table = await insertTable(tx, {
      referenceId: `${node.reference_id.slice(0, 2)}${randomId(2)}`,
      containerKind: 'workflow',
      workflowId: wf.workflow.id,
      name: node.output_name,
      description: `Output of transform ${node.name}`,
      storage,
      at: ctx.now(),
    });
    await tx.run('UPDATE wf_nodes SET output_table_id = ? WHERE id = ?', [table.id, node.id]);
    await finishJob(tx, jobId, 'completed', ctx.now());
  });
}

/**
 * Notebook and transform endpoints (`/notebooks/:ref`, `/transforms/:ref`). A transform run translates its SQL
 * (unqualified names resolve in its workflow), runs it in DuckDB and writes its output table; the job is `running`
 * until that is done. A notebook run executes nothing: its job moves queued → running → completed on a timer.
 */
export function workflowNodesRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => Promise<unknown>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn().catch((error: unknown) => console.error('[emulator] background job failed', error));
    }, ms);
    timers.add(timer);
  };
  const pending = new Set<Promise<void>>();
  ctx.onStop(async () => {
    for (const timer of timers) clearTimeout(timer);
    await Promise.allSettled([...pending]);
  });
  const app = new Hono<AppEnv>();

  for (const kind of ['notebook', 'transform'] as const) {
    app.get(`/${kind}s/:nodeRef`, async (c) => {
      const { wf, node } = await nodeFor(c, ctx, kind, 'data');
      return c.json(await nodeRepr(c, ctx, wf, node));
    });
    app.patch(`/${kind}s/:nodeRef`, (c) => patchNode(c, ctx, kind));
  }

  app.post('/notebooks/:nodeRef/run', async (c) => {
    const { wf, node } = await nodeFor(c, ctx, 'notebook', 'edit');
    // The emulator runs no notebook code: the job only moves through its statuses, timed by the options
    // (defaults 500 ms each, long enough that a client can still see and stop a running job on a loaded machine).
    const { queuedMs, runningMs } = ctx.options.notebookJobs;
    const complete = (jobId: string) => {
      if (Number.isFinite(runningMs))
        later(runningMs, () => finishJob(ctx.db, jobId, 'completed', ctx.now()));
    };
    const jobId = await startJob(ctx, node, queuedMs === 0 ? 'running' : 'queued');
    if (queuedMs === 0) complete(jobId);
    else {
      later(queuedMs, async () => {
        if (await finishJob(ctx.db, jobId, 'running', ctx.now())) complete(jobId);
      });
    }
    return refreshed(c, ctx, wf, node.id);
  });

  app.post('/notebooks/:nodeRef/stop', async (c) => {
    const { wf, node } = await nodeFor(c, ctx, 'notebook', 'edit');
    const job = await latestJob(ctx.db, node.id);
    if (job) await finishJob(ctx.db, job.id, 'cancelled', ctx.now());
    return refreshed(c, ctx, wf, node.id);
  });

  app.post('/transforms/:nodeRef/run', async (c) => {
    const { wf, node } = await nodeFor(c, ctx, 'transform', 'edit');
    const jobId = await startJob(ctx, node, 'running');
    const defaults = {
      defaultWorkflow: workflowBase(ctx, wf.workflow, wf.owner).qualifiedReference as string,
      defaultDataset: null,
    };
    let translated: TranslatedSql | undefined;
    const { resolve, inputs } = sandboxInputs((ref) => resolveQueryTable(c, ctx, ref, defaults));
    try {
      // Resolved now, while the request's credentials are known: tables the caller cannot read fail the job.
      translated = await translateSql(node.query ?? '', resolve);
    } catch (error) {
      if (
        !(error instanceof SqlTranslationError) &&
        !(error instanceof Error && error.name === 'SqlSyntaxError')
      ) {
        throw error;
      }
      await finishJob(ctx.db, jobId, 'failed', ctx.now(), error.message);
    }
    if (translated) {
      const run = executeTransform(ctx, wf, node, jobId, translated, inputs).finally(() =>
        pending.delete(run),
      );
      pending.add(run);
    }
    return refreshed(c, ctx, wf, node.id);
  });

  app.post('/transforms/:nodeRef/cancel', async (c) => {
    const { wf, node } = await nodeFor(c, ctx, 'transform', 'edit');
    const job = await latestJob(ctx.db, node.id);
    if (job) await finishJob(ctx.db, job.id, 'cancelled', ctx.now());
    return refreshed(c, ctx, wf, node.id);
  });

  return app;
}
