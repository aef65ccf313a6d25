import { escapeName, namesMatch } from '@redivis-ts/core';
import type { Context } from 'hono';
import type { EmulatorContext } from '../context.js';
import { versionRefTag } from '../store/datasets.js';
import type { Queryable } from '../store/db.js';
import { ownerById } from '../store/owners.js';
import type { DatasetRow, TableRow, VersionRow, WorkflowRow } from '../store/rows.js';
import type { UploadRow } from '../store/uploads.js';
import type { AppEnv } from './env.js';
import { notFound } from './errors.js';
import { type ResolvedTable, resolveTable } from './resolve.js';

/** Upload ids are base-36 (store/ids.ts): anything else names no upload and reaches no query. */
const UPLOAD_ID = /^[0-9a-z]{1,64}$/;

/** The qualified reference (version tag and reference ids included) that names `table` exactly. */
async function tableReferenceOf(db: Queryable, table: TableRow): Promise<string | undefined> {
  const leaf = `${escapeName(table.name)}:${table.reference_id}`;
  if (table.container_kind === 'workflow') {
    const wf = await db.one<WorkflowRow>('SELECT * FROM workflows WHERE id = ?', [table.workflow_id]);
    if (!wf) return undefined;
    const owner = await ownerById(db, wf.owner_kind, wf.owner_id);
    return `${owner.name}.${escapeName(wf.name)}:${wf.reference_id}.${leaf}`;
  }
  const version = await db.one<VersionRow>('SELECT * FROM versions WHERE id = ?', [table.version_id]);
  const dataset =
    version && (await db.one<DatasetRow>('SELECT * FROM datasets WHERE id = ?', [version.dataset_id]));
  if (!version || !dataset) return undefined;
  const owner = await ownerById(db, dataset.owner_kind, dataset.owner_id);
  const sample = table.is_sample ? ':sample' : '';
  return `${owner.name}.${escapeName(dataset.name)}:${versionRefTag(version)}:${dataset.reference_id}${sample}.${leaf}`;
}

/**
 * Resolves the doc-only upload reference of `POST /uploads/:uploadReference/readSessions`: `name:id` (the legacy
 * form the docs show; the name matches as upload names do, `.` written `_` allowed) or a bare upload id. The
 * upload's table is then resolved as if the caller had named it, so access is decided exactly as on the
 * table-nested path; an upload the caller may not see is 404.
 */
export async function resolveUploadReference(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  input: string,
): Promise<{ resolved: ResolvedTable; upload: UploadRow }> {
  const missing = notFound(`Upload "${input}" not found`);
  const colon = input.lastIndexOf(':');
  const name = colon < 0 ? undefined : input.slice(0, colon);
  const id = input.slice(colon + 1);
  if (!UPLOAD_ID.test(id)) throw missing;
  const upload = await ctx.db.cached.one<UploadRow>('SELECT * FROM uploads WHERE id = ?', [id]);
  if (!upload) throw missing;
  if (
    name !== undefined &&
    !namesMatch(upload.name, name) &&
    !namesMatch(upload.name.replaceAll('.', '_'), name)
  )
    throw missing;
  const table = await ctx.db.one<TableRow>('SELECT * FROM tables WHERE id = ?', [upload.table_id]);
  const reference = table && (await tableReferenceOf(ctx.db, table));
  if (!reference) throw missing;
  return { resolved: await resolveTable(c, ctx, reference), upload };
}
