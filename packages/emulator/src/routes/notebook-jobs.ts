import { rename } from 'node:fs/promises';
import { type Context, Hono } from 'hono';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { optName, reqString } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, conflict, notFound, readJsonObject } from '../http/errors.js';
import { type ResolvedWorkflow, resolveWorkflowById } from '../http/resolve.js';
import { ensureUploadDirs, removeFile, tempUploadFile, uploadFile } from '../ingest/files.js';
import { OutputNameConflict, stageOutputRows, writeOutputTable } from '../ingest/output-table.js';
import { tableRepr } from '../repr/tables.js';
import { storageTable } from '../store/schema.js';
import { deleteTempUpload } from '../store/temp-uploads.js';
import type { JobRow, NodeRow } from '../store/workflow-nodes.js';
import { completeTempUploadFor, createTempUploadSlots } from './temp-uploads.js';

/** Job ids are `<node reference id>-<random>`, lowercase base 36. */
const JOB_ID = /^[a-z0-9]{1,32}-[a-z0-9]{1,32}$/;

/** A notebook job, its notebook and workflow, for a write by the job. */
interface RunningJob {
  job: JobRow;
  node: NodeRow;
  wf: ResolvedWorkflow;
}

/**
 * The notebook job in the path, after the checks every job write passes, in the order workflow writes check them:
 * a signed-in caller (401) whose token holds `workflow.write` (403), the job (404), edit access to its workflow
 * (403/404, `data.edit`), and the job `running` (400: only a running notebook can write its output).
 */
async function runningJob(c: Context<AppEnv>, ctx: EmulatorContext): Promise<RunningJob> {
  requireUser(c);
  requireScope(c, 'workflow.write');
  const jobId = c.req.param('jobId') as string;
  const missing = notFound(`Notebook job "${jobId.slice(0, 80)}" not found`);
  const job = JOB_ID.test(jobId)
    ? await ctx.db.one<JobRow>('SELECT * FROM wf_jobs WHERE id = ?', [jobId])
    : undefined;
  const node = job && (await ctx.db.one<NodeRow>('SELECT * FROM wf_nodes WHERE id = ?', [job.node_id]));
  if (!job || node?.kind !== 'notebook') throw missing;
  const wf = await resolveWorkflowById(c, ctx, node.workflow_id);
  if (!wf) throw missing;
  assertAccess(c, wf.access, 'edit');
  if (job.status !== 'running') {
    throw badRequest(
      `Notebook job ${job.id} is ${job.status}: only a running notebook job can create its output table`,
    );
  }
  return { job, node, wf };
}

/** `append`: a boolean, or the string R sends (`"TRUE"`); null or absent is false. */
function appendFlag(body: Record<string, unknown>): boolean {
  const v = body.append;
  if (v === undefined || v === null || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw badRequest('append must be a boolean');
}

/** `geographyVariables`: null, or up to 1,000 distinct variable names. */
function geographyVariables(body: Record<string, unknown>): string[] {
  const v = body.geographyVariables;
  if (v === undefined || v === null) return [];
  if (
    !Array.isArray(v) ||
    v.length > 1000 ||
    v.some((n) => typeof n !== 'string' || n === '' || n.length > 256)
  ) {
    throw badRequest('geographyVariables must be an array of variable names');
  }
  return [...new Set(v as string[])];
}

/**
 * Notebook-job endpoints the official clients call from inside a running notebook (client-libraries §3.11):
 * `POST /notebookJobs/:jobId/tempUploads` (slots without names, served by the same byte protocol as tables' temp
 * uploads) and `PUT /notebookJobs/:jobId/outputTable {name, append, geographyVariables, tempUploadId}`, which
 * parses the job's Parquet file and makes it the notebook's output table, answering the table (200).
 */
export function notebookJobsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/notebookJobs/:jobId/tempUploads', async (c) => {
    const { job } = await runningJob(c, ctx);
    return createTempUploadSlots(c, ctx, { jobId: job.id });
  });

  app.put('/notebookJobs/:jobId/outputTable', async (c) => {
    const { job, node, wf } = await runningJob(c, ctx);
    const body = await readJsonObject(c);
    const tempUploadId = reqString(body, 'tempUploadId', 64);
    const name = optName(body, 'name', 'table');
    const append = appendFlag(body);
    const geography = geographyVariables(body);
    const temp = await completeTempUploadFor(c, ctx, { jobId: job.id }, tempUploadId);
    // The bytes move out of the slot while they are parsed (a new resumable session would truncate the slot's
    // file) and back if anything fails, so a bad request loses nothing.
    const file = uploadFile(ctx.dataDir, `output_${temp.id}`);
    await ensureUploadDirs(ctx.dataDir);
    try {
      await rename(tempUploadFile(ctx.dataDir, temp.id), file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw conflict(`Temp upload ${temp.id} is in use`);
      throw e;
    }
    let storage: string | undefined;
    let committed = false;
    try {
      const conn = await ctx.db.openStreamConnection();
      let staged: Awaited<ReturnType<typeof stageOutputRows>>;
      try {
        staged = await stageOutputRows(conn, file, geography);
      } finally {
        void ctx.db.releaseStreamConnection(conn);
      }
      storage = staged.storage;
      const table = await ctx.db.transaction(async (tx) => {
        const current = await tx.one<{ status: string }>('SELECT status FROM wf_jobs WHERE id = ?', [job.id]);
        if (current?.status !== 'running') {
          throw badRequest(`Notebook job ${job.id} stopped before its output table was written`);
        }
        const fresh = (await tx.one<NodeRow>('SELECT * FROM wf_nodes WHERE id = ?', [node.id])) as NodeRow;
        const written = await writeOutputTable(tx, {
          node: fresh,
          workflowId: wf.workflow.id,
          staged,
          name,
          append,
          at: ctx.now(),
        });
        await deleteTempUpload(tx, temp.id);
        return written;
      });
      committed = true;
      await removeFile(file);
      const variables = await ctx.db.one<{ n: number }>(
        'SELECT count(*) AS n FROM variables WHERE table_id = ?',
        [table.id],
      );
      return c.json(
        tableRepr(
          c,
          ctx,
          { container: { kind: 'workflow', workflow: wf }, access: wf.access },
          table,
          Number(variables?.n ?? 0),
          'get',
        ),
        200,
      );
    } catch (e) {
      if (!committed) {
        if (storage) await ctx.db.run(`DROP TABLE IF EXISTS ${storageTable(storage)}`).catch(() => undefined);
        await rename(file, tempUploadFile(ctx.dataDir, temp.id)).catch(() => undefined);
      }
      if (e instanceof OutputNameConflict) throw conflict(e.message);
      throw e;
    }
  });

  return app;
}
