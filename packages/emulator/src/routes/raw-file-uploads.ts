import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import { resolveTable } from '../http/resolve.js';
import type { Queryable } from '../store/db.js';
import { quoteIdent } from '../store/db.js';
import { randomId } from '../store/ids.js';
import type { TableRow } from '../store/rows.js';
import { storageTable } from '../store/schema.js';
import { createEmptyStorage, ensureOwnStorage, refreshTableStats } from '../store/tables.js';

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
 * `POST /tables/:ref/rawFiles` (spec §5.4.4): adds files to a file index table of an unreleased version. The body
 * is `multipart/form-data` with one part per file (its filename is the file's name), up to the JSON body limit;
 * the documented JSON form `{files: [{name, tempUploadId}]}` needs temp uploads. Answers 201 `rawFileList`. All files
 * are added in one transaction: any bad name or part leaves the table as it was.
 */
export function rawFileUploadsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/tables/:tableRef/rawFiles', async (c) => {
    requireUser(c);
    requireScope(c, 'data.edit');
    const r = await resolveTable(c, ctx, c.req.param('tableRef'));
    assertAccess(c, r.access, 'edit');
    if (r.container.kind !== 'dataset') throw badRequest('Files can only be added to dataset tables');
    const version = r.container.dataset.version;
    if (!version || version.is_released) {
      throw badRequest(
        'Files can only be added on the unreleased next version; reference the dataset with ":next"',
      );
    }
    if (!r.table.is_file_index) throw badRequest(`Table "${r.table.name}" is not a file index table`);
    const type = c.req.header('Content-Type') ?? '';
    if (!type.startsWith('multipart/form-data')) {
      throw badRequest(
        'Send the files as multipart/form-data (one part per file); tempUploadId references need temp uploads, which this emulator does not serve yet',
      );
    }
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw badRequest('The multipart body is malformed');
    }
    const files: Array<{ name: string; bytes: Buffer }> = [];
    for (const value of form.values()) {
      if (typeof value === 'string') continue;
      const problem = fileNameProblem(value.name);
      if (problem) throw badRequest(problem);
      files.push({ name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
    }
    if (files.length === 0) throw badRequest('The body has no file parts');
    if (files.length > MAX_FILES) throw badRequest(`At most ${MAX_FILES} files per request`);
    const at = ctx.now();
    const datasetId = r.container.dataset.dataset.id;
    const added = files.map((f) => ({
      ...f,
      id: `${randomId(4)}-${randomId(9)}`,
      md5: createHash('md5').update(f.bytes).digest('base64'),
    }));
    await ctx.db.transaction(async (tx) => {
      const storage = await indexStorage(tx, r.table);
      const cols = FILE_INDEX_COLUMNS.map((col) => quoteIdent(col.name)).join(', ');
      for (const f of added) {
        await tx.run('INSERT INTO raw_files VALUES (?, ?, ?, ?, ?, ?)', [
          f.id,
          datasetId,
          f.bytes.toString('base64'),
          f.bytes.length,
          f.md5,
          at,
        ]);
        await tx.run(
          `INSERT INTO ${storageTable(storage)} (${cols}) VALUES (?, ?, ?, ?, make_timestamp(CAST(? AS BIGINT)))`,
          [f.id, f.name, f.bytes.length, f.md5, at * 1000],
        );
      }
      await refreshTableStats(tx, r.table.id);
    });
    return c.json(
      {
        kind: 'rawFileList',
        results: added.map((f) => ({
          kind: 'rawFile',
          id: f.id,
          uri: `/rawFiles/${f.id}`,
          url: `${ctx.origin}/api/v1/rawFiles/${f.id}`,
          name: f.name,
          md5Hash: f.md5,
          size: f.bytes.length,
        })),
      },
      201,
    );
  });

  return app;
}
