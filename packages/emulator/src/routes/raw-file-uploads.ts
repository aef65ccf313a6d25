import type { RawFile } from '@redivis-ts/core';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { type Context, Hono } from 'hono';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, readJsonObject } from '../http/errors.js';
import { type ResolvedTable, resolveTable } from '../http/resolve.js';
import { ensureUploadDirs, rawFilePath, tempUploadFile } from '../ingest/files.js';
import type { Queryable } from '../store/db.js';
import { quoteIdent } from '../store/identifiers.js';
import { insertRawFile, type NewRawFile } from '../store/files.js';
import { randomId } from '../store/ids.js';
import type { TableRow } from '../store/rows.js';
import { storageTable } from '../store/schema.js';
import { createEmptyStorage, ensureOwnStorage, refreshTableStats } from '../store/tables.js';
import { deleteTempUpload, type TempUploadRow } from '../store/temp-uploads.js';
import { completeTempUploadOf, moveTempUploadBytes } from './temp-uploads.js';

/** Columns of a file index table, as the clients read them (client-libraries §3.9). */
const FILE_INDEX_COLUMNS = [
  { name: 'file_id', type: 'string' },
  { name: 'file_name', type: 'string' },
  { name: 'size', type: 'integer' },
  { name: 'md5_hash', type: 'string' },
  { name: 'added_at', type: 'dateTime' },
] as const;
const MAX_FILES = 1_000;
const MAX_NAME = 1_024;

/**
 * A file name is data: it is only ever stored in the index and echoed back, never used as a path (bytes are stored
 * by a generated id). Still, a name that would escape a directory when a client mirrors the index to disk is
 * refused, as is anything unprintable. Relative nested names (`a/b.txt`) are accepted, as the clients send them.
 */
export function fileNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'a file name is required';
  if (name.length > MAX_NAME) return `file names are at most ${MAX_NAME} characters`;
  if (/[\u0000-\u001f\u007f\\]/.test(name))
    return `file name "${name}" contains a control character or a backslash`;
  if (name.startsWith('/')) return `file name "${name}" must be relative`;
  if (name.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    return `file name "${name}" has an empty, "." or ".." path segment`;
  }
  return undefined;
}

/** Gives a file index table that has no columns yet (created with `isFileIndex`) the index layout. */
async function indexStorage(tx: Queryable, table: TableRow): Promise<string> {
  const storage = await ensureOwnStorage(tx, table);
  const cols = await tx.all<{ column_name: string }>(`DESCRIBE ${storageTable(storage)}`);
  const names = new Set(cols.map((c) => c.column_name));
  if (FILE_INDEX_COLUMNS.every((c) => names.has(c.name))) return storage;
  if (!(names.size === 1 && names.has('__empty')))
    throw badRequest(`Table "${table.name}" is not a file index`);
  const fresh = await createEmptyStorage(tx, FILE_INDEX_COLUMNS);
  await tx.run('UPDATE tables SET storage = ? WHERE id = ?', [fresh, table.id]);
  await tx.run(`DROP TABLE ${storageTable(storage)}`);
  await tx.run('DELETE FROM variables WHERE table_id = ?', [table.id]);
  for (const [idx, col] of FILE_INDEX_COLUMNS.entries()) {
    await tx.run("INSERT INTO variables VALUES (?, ?, ?, ?, ?, NULL, NULL, '[]', false)", [
      `${table.id}.${idx}`,
      table.id,
      idx,
      col.name,
      col.type,
    ]);
  }
  return fresh;
}

/**
 * A file of the request: bytes from a multipart part, a complete temp upload whose file will be moved, or a request
 * body already streamed to `received.path` (`md5` base64) whose file will be moved.
 */
export type IncomingFile =
  | { name: string; bytes: Buffer; temp?: undefined; received?: undefined }
  | { name: string; temp: TempUploadRow; received?: undefined }
  | { name: string; received: { path: string; size: number; md5: string }; temp?: undefined };

/** The documented body, `{files: [{name, tempUploadId}]}`: every name and temp upload checked before anything moves. */
async function tempUploadFiles(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  table: ResolvedTable,
): Promise<IncomingFile[]> {
  const body = await readJsonObject(c);
  if (!Array.isArray(body.files)) throw badRequest('files must be an array of {name, tempUploadId}');
  const seen = new Set<string>();
  const files: IncomingFile[] = [];
  for (const [i, item] of body.files.entries()) {
    const { name, tempUploadId } = (item ?? {}) as Record<string, unknown>;
    const problem = fileNameProblem(name);
    if (problem) throw badRequest(`files[${i}]: ${problem}`);
    if (typeof tempUploadId !== 'string') throw badRequest(`files[${i}].tempUploadId must be a string`);
    if (seen.has(tempUploadId)) throw badRequest(`files[${i}]: temp upload ${tempUploadId} is listed twice`);
    seen.add(tempUploadId);
    files.push({ name: name as string, temp: await completeTempUploadOf(c, ctx, table, tempUploadId) });
  }
  return files;
}

/** The multipart form: one part per file, the part's filename being the file's name. */
async function multipartFiles(c: Context<AppEnv>): Promise<IncomingFile[]> {
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw badRequest('The multipart body is malformed');
  }
  const files: IncomingFile[] = [];
  for (const value of form.values()) {
    if (typeof value === 'string') continue;
    const problem = fileNameProblem(value.name);
    if (problem) throw badRequest(problem);
    files.push({ name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return files;
}

/** MD5 (base64) of a file on disk, read in 1 MiB chunks. */
async function md5OfFile(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/**
 * The file index table of `:tableRef` a request may add files to: edit access with `data.edit`, a dataset table on
 * the unreleased version (files.post, spec §5.4.4, and its legacy `files?name=` variant).
 */
export async function fileIndexTableFor(c: Context<AppEnv>, ctx: EmulatorContext): Promise<ResolvedTable> {
  requireUser(c);
  requireScope(c, 'data.edit');
  const r = await resolveTable(c, ctx, c.req.param('tableRef') as string);
  assertAccess(c, r.access, 'edit');
  if (r.container.kind !== 'dataset') throw badRequest('Files can only be added to dataset tables');
  const version = r.container.dataset.version;
  if (!version || version.is_released) {
    throw badRequest(
      'Files can only be added on the unreleased next version; reference the dataset with ":next"',
    );
  }
  if (!r.table.is_file_index) throw badRequest(`Table "${r.table.name}" is not a file index table`);
  return r;
}

/** The `rawFile` representation of an added file (spec §5.4.4). */
export function rawFileRepr(ctx: EmulatorContext, f: NewRawFile): RawFile {
  return {
    kind: 'rawFile',
    id: f.id,
    uri: `/rawFiles/${f.id}`,
    url: `${ctx.origin}/api/v1/rawFiles/${f.id}`,
    name: f.name,
    md5Hash: f.md5,
    size: f.size,
  };
}

/**
 * Adds `files` (already checked) to the file index table `r` in one transaction. Files on disk (temp uploads,
 * received bodies) move into `<dataDir>/raw-files` first and move back if the transaction fails, so a failure
 * leaves the table as it was and loses no temp upload.
 */
export async function addRawFiles(
  ctx: EmulatorContext,
  r: ResolvedTable,
  files: readonly IncomingFile[],
): Promise<NewRawFile[]> {
  if (files.length === 0) throw badRequest('No files to add');
  if (files.length > MAX_FILES) throw badRequest(`At most ${MAX_FILES} files per request`);
  if (r.container.kind !== 'dataset') throw badRequest('Files can only be added to dataset tables');
  const at = ctx.now();
  const datasetId = r.container.dataset.dataset.id;
  await ensureUploadDirs(ctx.dataDir);
  const added: NewRawFile[] = [];
  for (const f of files) {
    const id = `${randomId(4)}-${randomId(9)}`;
    if (f.temp) {
      const md5 = await md5OfFile(tempUploadFile(ctx.dataDir, f.temp.id));
      added.push({ id, datasetId, name: f.name, md5, at, size: f.temp.size });
    } else if (f.received) {
      added.push({ id, datasetId, name: f.name, md5: f.received.md5, at, size: f.received.size });
    } else {
      const md5 = createHash('md5').update(f.bytes).digest('base64');
      added.push({ id, datasetId, name: f.name, md5, at, size: f.bytes.length, bytes: f.bytes });
    }
  }
  const moved: Array<{ from: string; to: string; tempId: string | undefined }> = [];
  try {
    for (const [i, f] of files.entries()) {
      const to = rawFilePath(ctx.dataDir, (added[i] as NewRawFile).id);
      if (f.temp) {
        await moveTempUploadBytes(ctx, f.temp.id, to);
        moved.push({ from: tempUploadFile(ctx.dataDir, f.temp.id), to, tempId: f.temp.id });
      } else if (f.received) {
        await rename(f.received.path, to);
        moved.push({ from: f.received.path, to, tempId: undefined });
      }
    }
    await ctx.db.transaction(async (tx) => {
      const storage = await indexStorage(tx, r.table);
      const cols = FILE_INDEX_COLUMNS.map((col) => quoteIdent(col.name)).join(', ');
      for (const f of added) {
        await insertRawFile(tx, f);
        await tx.run(
          `INSERT INTO ${storageTable(storage)} (${cols}) VALUES (?, ?, ?, ?, make_timestamp(CAST(? AS BIGINT)))`,
          [f.id, f.name, f.size, f.md5, at * 1000],
        );
      }
      for (const m of moved) if (m.tempId) await deleteTempUpload(tx, m.tempId);
      await refreshTableStats(tx, r.table.id);
    });
  } catch (e) {
    for (const m of moved) await rename(m.to, m.from).catch(() => {});
    throw e;
  }
  return added;
}

/**
 * `POST /tables/:ref/rawFiles` (spec §5.4.4): adds files to a file index table of an unreleased version, from the
 * documented JSON body `{files: [{name, tempUploadId}]}` (bytes of any size, moved from the temp upload into
 * `<dataDir>/raw-files`) or from `multipart/form-data` with one part per file (up to the JSON body limit). Answers
 * 201 `rawFileList`. All files are added in one transaction: any bad name, unknown or incomplete temp upload leaves
 * the table and the temp uploads as they were.
 */
export function rawFileUploadsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/tables/:tableRef/rawFiles', async (c) => {
    const r = await fileIndexTableFor(c, ctx);
    const type = c.req.header('Content-Type') ?? '';
    let files: IncomingFile[];
    if (type.startsWith('multipart/form-data')) files = await multipartFiles(c);
    else if (type.startsWith('application/json')) files = await tempUploadFiles(c, ctx, r);
    else
      throw badRequest('Send {files: [{name, tempUploadId}]} as JSON, or the files as multipart/form-data');
    const added = await addRawFiles(ctx, r, files);
    return c.json({ kind: 'rawFileList', results: added.map((f) => rawFileRepr(ctx, f)) }, 201);
  });

  return app;
}
