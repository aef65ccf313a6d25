import { namesMatch } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest } from '../http/errors.js';
import { receiveBody, receiveMultipart, type ReceivedFile } from '../http/multipart.js';
import { allowBody } from '../http/body-limit.js';
import { readBodyText } from '../http/request-body.js';
import { uploadProcessingFault } from '../faults/hooks.js';
import { assertResolvedAccess, type ResolvedTable, resolveTable } from '../http/resolve.js';
import { readUploadRequest, resolveType, type UploadRequest, uploadTypeOf } from '../http/upload-metadata.js';
import { defaultExtension } from '../ingest/formats.js';
import { ensureUploadDirs, removeFile, uploadFile } from '../ingest/files.js';
import { recoverUploads, UploadProcessor } from '../ingest/processor.js';
import { insertStreamRows, MAX_INSERT_ROWS } from '../ingest/stream-rows.js';
import { uploadRepr } from '../repr/uploads.js';
import { quoteIdent } from '../store/identifiers.js';
import { randomId } from '../store/ids.js';
import { storageTable } from '../store/schema.js';
import { insertUpload, tableUploads, type UploadOptions, type UploadType } from '../store/uploads.js';
import { claimTempUpload } from './temp-uploads.js';
import { tableFor, tableUriOf, uploadFor } from './uploads-read.js';
import { duckdbStorageType } from '../store/duckdb-types.js';

/** The table an upload writes to: edit access, a dataset table on an unreleased version, not a file index. */
export async function writableTableFor(c: Context<AppEnv>, ctx: EmulatorContext): Promise<ResolvedTable> {
  const resolved = await tableFor(c, ctx, 'edit');
  const version = resolved.container.kind === 'dataset' ? resolved.container.dataset.version : null;
  if (!version || version.is_released) {
    throw badRequest(
      'Uploads can only add data to tables of an unreleased dataset version (reference the dataset with :next)',
    );
  }
  if (resolved.table.is_file_index) throw badRequest('File index tables take files (rawFiles), not uploads');
  return resolved;
}

/** `name`, or `stem_2.ext`, `stem_3.ext`… when another upload of the table already has it. */
function uniqueName(name: string, taken: readonly string[]): string {
  const clash = (n: string) =>
    taken.some((t) => namesMatch(t, n) || namesMatch(t.replaceAll('.', '_'), n.replaceAll('.', '_')));
  if (!clash(name)) return name;
  const dot = name.indexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) if (!clash(`${stem}_${n}${ext}`)) return `${stem}_${n}${ext}`;
}

/** The body of POST {table}/uploads, by Content-Type: multipart, JSON metadata, or raw bytes (simple upload). */
async function readRequest(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  dataName: string,
): Promise<{ request: UploadRequest; file: ReceivedFile | undefined }> {
  const contentType = (c.req.header('Content-Type') ?? '').toLowerCase();
  const query = { name: c.req.query('name'), type: c.req.query('type') };
  const path = uploadFile(ctx.dataDir, dataName);
  if (contentType.startsWith('multipart/form-data')) {
    try {
      const { metadata, data } = await receiveMultipart(c, path);
      return { request: readUploadRequest(metadata, query), file: data };
    } catch (e) {
      await removeFile(path);
      throw e;
    }
  }
  if (contentType.startsWith('application/json')) {
    const text = await readBodyText(c);
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw badRequest('The request body is not valid JSON');
      }
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest('The request body must be a JSON object');
    }
    return { request: readUploadRequest(body as Record<string, unknown>, query), file: undefined };
  }
  // Simple upload: the body is the file, the metadata comes from the query string.
  const request = readUploadRequest(simpleMetadata(c), query);
  try {
    const file = await receiveBody(c, path);
    return { request, file: file.size > 0 || contentType ? file : undefined };
  } catch (e) {
    await removeFile(path);
    throw e;
  }
}

/** Metadata of a simple upload, from query parameters (strings, booleans `true`/`false`, comma-separated lists). */
function simpleMetadata(c: Context<AppEnv>): Record<string, unknown> {
  const q = c.req.query();
  const out: Record<string, unknown> = {};
  for (const key of [
    'delimiter',
    'quoteCharacter',
    'escapeCharacter',
    'mergeStrategy',
    'tempUploadId',
    'resumableUploadId',
  ]) {
    if (q[key] !== undefined) out[key] = q[key];
  }
  for (const key of ['hasHeaderRow', 'skipBadRecords', 'hasQuotedNewlines', 'allowJaggedRows']) {
    const v = q[key];
    if (v === undefined) continue;
    if (v !== 'true' && v !== 'false') throw badRequest(`${key} must be true or false`);
    out[key] = v === 'true';
  }
  if (q.nullMarkers !== undefined) out.nullMarkers = q.nullMarkers.split(',');
  return out;
}

/**
 * Uploads into tables (spec §5.9.1, §5.9.2): `POST {table}/uploads` with a multipart body (`metadata` + `data`), raw
 * bytes (simple upload), or JSON metadata naming a `tempUploadId`, a `transferSpecification` (from another Redivis
 * table only) or `type: "stream"`; and `POST {upload}/rows` for stream uploads. Files are processed in the
 * background (status `queued` → `running` → `completed` | `failed`, polled with GET {upload}).
 */
export function uploadsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const processor = new UploadProcessor(ctx);
  // Simple and multipart bodies stream to disk; insertRows bodies may be as large (spec §2.6: 100 MB both).
  const uploadBody = allowBody(ctx.options.bodyLimits.upload);
  ctx.onStartup(async () => {
    await ensureUploadDirs(ctx.dataDir);
    await recoverUploads(ctx);
  });
  ctx.onStop(() => processor.stop());
  const app = new Hono<AppEnv>();

  app.post('/tables/:tableRef/uploads', uploadBody, async (c) => {
    const resolved = await writableTableFor(c, ctx);
    const id = randomId(12);
    const { request, file } = await readRequest(c, ctx, id);
    let dataFile: string | null = file ? id : null;
    try {
      const sources = [file, request.tempUploadId, request.transfer].filter((x) => x !== undefined).length;
      const isStream = request.explicitType === 'stream';
      if (sources > 1)
        throw badRequest('Send the data in one way: a data part, a tempUploadId or a transferSpecification');
      if (isStream && sources)
        throw badRequest('Stream uploads take no data: insert rows with POST {upload}/rows');
      if (!isStream && !sources) {
        throw badRequest(
          'No data: send a multipart data part, a tempUploadId, a transferSpecification or type "stream"',
        );
      }
      let size = file?.size ?? 0;
      let name = request.name ?? file?.filename;
      let transferFromTableId: string | null = null;
      let hash = file?.md5 ?? null;
      if (request.tempUploadId) {
        const temp = await claimTempUpload(
          c,
          ctx,
          resolved,
          request.tempUploadId,
          uploadFile(ctx.dataDir, id),
        );
        size = temp.size;
        hash = temp.md5;
        name ??= temp.name;
        dataFile = id;
      }
      if (request.transfer) {
        if (request.transfer.sourceType !== 'redivis') {
          throw badRequest(
            `Transfers from sourceType "${request.transfer.sourceType}" are not supported by the emulator: it cannot reach external storage (only "redivis" sources, another table, are)`,
          );
        }
        const source = await resolveTable(c, ctx, request.transfer.sourcePath);
        assertResolvedAccess(c, source, 'data');
        transferFromTableId = source.table.id;
      }
      let type: UploadType = 'stream';
      let compression: 'gzip' | null = null;
      if (!isStream) {
        if (request.transfer) type = 'parquet';
        else ({ type, compression } = uploadTypeOf(resolveType(request.explicitType, name ?? '')));
      }
      if (request.options.schema && type !== 'stream' && type !== 'delimited') {
        c.header(
          'X-Redivis-Warning',
          `schema is used only by stream and delimited uploads; ignored for ${type}`,
        );
        request.options.schema = null;
      }
      const existing = await tableUploads(ctx.db, resolved.table.id);
      const finalName = uniqueName(
        name ?? `untitled_upload.${defaultExtension(type)}`,
        existing.map((u) => u.name),
      );
      const options: UploadOptions = {
        ...request.options,
        mergeStrategy: request.mergeStrategyGiven
          ? request.options.mergeStrategy
          : (resolved.table.upload_merge_strategy as 'append' | 'replace'),
        compression,
        transferFromTableId,
      };
      const storage = `u_${id}`;
      const upload = await ctx.db.transaction(async (tx) => {
        if (type === 'stream') {
          const cols = (options.schema ?? []).map(
            (s) => `${quoteIdent(s.name)} ${duckdbStorageType(s.type)}`,
          );
          await tx.run(
            `CREATE TABLE ${storageTable(storage)} (${cols.length ? cols.join(', ') : '"__empty" BOOLEAN'})`,
          );
        }
        const row = await insertUpload(tx, {
          id,
          table_id: resolved.table.id,
          name: finalName,
          type,
          status: type === 'stream' ? 'completed' : 'queued',
          storage,
          size,
          hash,
          user_id: c.get('auth').user?.id ?? null,
          data_file: dataFile,
          options,
          at: ctx.now(),
        });
        if (type === 'stream') {
          await tx.run('UPDATE uploads SET columns = ? WHERE id = ?', [
            JSON.stringify(options.schema ?? []),
            id,
          ]);
        }
        return row;
      });
      dataFile = null;
      if (type !== 'stream') processor.enqueue(id, uploadProcessingFault(c));
      const body = uploadRepr(ctx, upload, tableUriOf(c), resolved.table.upload_merge_strategy);
      if (type === 'stream') body.schema = options.schema ?? [];
      return c.json(body, 201);
    } finally {
      if (dataFile) await removeFile(uploadFile(ctx.dataDir, dataFile));
    }
  });

  app.post('/tables/:tableRef/uploads/:uploadName/rows', uploadBody, async (c) => {
    const resolved = await writableTableFor(c, ctx);
    const upload = await uploadFor(ctx, resolved, c.req.param('uploadName'));
    if (upload.type !== 'stream') {
      throw badRequest(
        `Rows can only be inserted into stream uploads (type "stream"); ${upload.name} is ${upload.type}`,
      );
    }
    const text = await readBodyText(c);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw badRequest('The request body is not valid JSON');
    }
    const { rows, updateVariables } = (body ?? {}) as { rows?: unknown; updateVariables?: unknown };
    if (!Array.isArray(rows)) throw badRequest('rows must be an array of objects');
    if (rows.length > MAX_INSERT_ROWS)
      throw badRequest(`rows may hold at most ${MAX_INSERT_ROWS} rows per request`);
    if (updateVariables !== undefined && updateVariables !== null && typeof updateVariables !== 'boolean') {
      throw badRequest('updateVariables must be a boolean');
    }
    const result = await ctx.db.transaction((tx) =>
      insertStreamRows(tx, upload, rows, updateVariables === true, ctx.now()),
    );
    return c.json(result, 201);
  });

  return app;
}
