import type { TempUpload } from '@redivis-ts/core';
import { createHash, type Hash } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { type Context, Hono } from 'hono';
import { requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { ApiError, badRequest, conflict, notFound, readJsonObject } from '../http/errors.js';
import { allowBody } from '../http/body-limit.js';
import { socketBody } from '../http/request-body.js';
import type { ResolvedTable } from '../http/resolve.js';
import { ChunkError, parseContentRange, receivedBytes, writeChunk } from '../ingest/chunks.js';
import { removeFile, tempUploadFile } from '../ingest/files.js';
import { randomId } from '../store/ids.js';
import {
  completeTempUpload,
  deleteTempUpload,
  expireTempUploads,
  getTempUpload,
  insertTempUploads,
  startTempSession,
  TEMP_UPLOAD_TTL_MS,
  type TempUploadRow,
} from '../store/temp-uploads.js';
import { tableFor } from './uploads-read.js';

/** createTempUploads takes at most this many slots per request (the Python client batches by 1,000). */
const MAX_TEMP_UPLOADS_PER_REQUEST = 1000;

/** Temp uploads are writes on unreleased versions: the same rule as uploads and raw files. */
export async function editableTable(c: Context<AppEnv>, ctx: EmulatorContext): Promise<ResolvedTable> {
  const resolved = await tableFor(c, ctx, 'edit');
  const version = resolved.container.kind === 'dataset' ? resolved.container.dataset.version : null;
  if (!version || version.is_released) {
    throw badRequest('Temp uploads can only be created on tables of an unreleased dataset version');
  }
  return resolved;
}

function tempUploadRepr(ctx: EmulatorContext, t: TempUploadRow): TempUpload {
  return {
    kind: 'tempUpload',
    id: t.id,
    url: `${ctx.origin}/tempUploads/${t.id}`,
    name: t.name,
    size: String(t.size),
    resumable: t.resumable,
  };
}

/** The temp upload of a byte request; gone (404) once expired, as a GCS session is. */
async function liveTempUpload(c: Context<AppEnv>, ctx: EmulatorContext): Promise<TempUploadRow> {
  const t = await getTempUpload(ctx.db, c.req.param('tempUploadId') as string);
  if (!t || t.expires_at <= ctx.now()) throw notFound('This temp upload does not exist or has expired');
  return t;
}

/** Whose bytes a temp upload holds: a table's (uploads, raw files) or a notebook job's (its output table). */
export type TempUploadOwner = { tableId: string } | { jobId: string };

/**
 * The complete temp upload `tempUploadId` of this table and user, for uploads.post (`tempUploadId`) and raw files.
 * 400 when it is unknown, another table's or user's, expired, or still missing bytes; 409 while bytes are arriving.
 */
export function completeTempUploadOf(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  table: ResolvedTable,
  tempUploadId: string,
): Promise<TempUploadRow> {
  return completeTempUploadFor(c, ctx, { tableId: table.table.id }, tempUploadId);
}

/** {@link completeTempUploadOf} for any owner: a table or a notebook job. */
export async function completeTempUploadFor(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  owner: TempUploadOwner,
  tempUploadId: string,
): Promise<TempUploadRow> {
  const t = /^[a-z0-9]{1,64}$/.test(tempUploadId) ? await getTempUpload(ctx.db, tempUploadId) : undefined;
  const user = requireUser(c);
  if (!t || t.user_id !== user.id) throw badRequest(`Unknown tempUploadId "${tempUploadId}"`);
  if ('tableId' in owner ? t.table_id !== owner.tableId : t.job_id !== owner.jobId) {
    throw badRequest(
      `Temp upload ${t.id} was created for another ${'tableId' in owner ? 'table' : 'notebook job'}`,
    );
  }
  if (t.expires_at <= ctx.now()) throw badRequest(`Temp upload ${t.id} has expired; upload the file again`);
  if (writing.has(t.id)) throw conflict(`Temp upload ${t.id} is still receiving bytes`);
  const received = await receivedBytes(tempUploadFile(ctx.dataDir, t.id));
  if (received !== t.size) {
    throw badRequest(
      `Temp upload ${t.id} has received ${received} of its ${t.size} bytes; finish sending it first`,
    );
  }
  return t;
}

/**
 * Moves a complete temp upload's bytes to `destination` and forgets the slot (see {@link completeTempUploadOf});
 * `md5` is the hash computed while the bytes arrived, when there is one.
 */
export async function claimTempUpload(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  table: ResolvedTable,
  tempUploadId: string,
  destination: string,
): Promise<TempUploadRow & { md5: string | null }> {
  const t = await completeTempUploadOf(c, ctx, table, tempUploadId);
  const md5 = tempUploadDigest(t.id);
  await moveTempUploadBytes(ctx, t.id, destination);
  await deleteTempUpload(ctx.db, t.id);
  digests.delete(t.id);
  return { ...t, md5 };
}

/** Moves a temp upload's file; 409 when another request claimed it since it was checked. */
export async function moveTempUploadBytes(
  ctx: EmulatorContext,
  tempUploadId: string,
  destination: string,
): Promise<void> {
  try {
    await rename(tempUploadFile(ctx.dataDir, tempUploadId), destination);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw conflict(`Temp upload ${tempUploadId} was used by another request`);
    }
    throw e;
  }
}

/** Temp uploads being written by a request right now (one writer per slot). */
const writing = new Set<string>();

/**
 * Running MD5 of each temp upload's bytes as they arrive, while its file grows without gaps from byte 0 in this
 * process, so the upload's hash is ready when the bytes are complete instead of costing a second read of the file
 * while DuckDB parses it (the ingest bench's profile: a CPU-second per ~100 MiB on the main thread). Lost on a
 * restart or an out-of-order resend; the processor then hashes the file itself.
 */
const digests = new Map<string, { hash: Hash; at: number; hex?: string }>();

/** The MD5 (hex) of a complete temp upload's bytes when it was computed while they arrived. */
export function tempUploadDigest(tempUploadId: string): string | null {
  return digests.get(tempUploadId)?.hex ?? null;
}

function incomplete(c: Context<AppEnv>, received: number): Response {
  // 308 "Resume Incomplete" with the persisted range; never a Location (requests would follow it).
  if (received > 0) c.header('Range', `bytes=0-${received - 1}`);
  return c.body(null, 308);
}

/** One requested slot, `{size, name, resumable}` as createTempUploads takes it (`size` may be a digit string). */
export interface TempUploadSlotRequest {
  size: unknown;
  name?: unknown;
  resumable?: unknown;
}

/**
 * A new temp-upload row for `owner` and the caller, validated (`where` names the entry in error messages): 400 for
 * a bad size, name or resumable flag, 413 past the emulator's upload limit. Nothing is stored; see
 * {@link storeTempUploadSlots}.
 */
export function newTempUploadSlot(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  owner: TempUploadOwner,
  slot: TempUploadSlotRequest,
  where: string,
): TempUploadRow {
  const user = requireUser(c);
  const maxBytes = ctx.options.uploads.maxBytes;
  const { size, name, resumable } = slot;
  const bytes = typeof size === 'string' && /^\d+$/.test(size) ? Number(size) : size;
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) {
    throw badRequest(`${where}size must be a non-negative integer`);
  }
  if (bytes > maxBytes) {
    throw new ApiError(
      413,
      'payload_too_large',
      `${where}size exceeds the emulator's limit of ${maxBytes} bytes`,
    );
  }
  if (name !== undefined && name !== null && (typeof name !== 'string' || name.length > 1024)) {
    throw badRequest(`${where}name must be a string of at most 1024 characters`);
  }
  if (resumable !== undefined && resumable !== null && typeof resumable !== 'boolean') {
    throw badRequest(`${where}resumable must be a boolean`);
  }
  const id = randomId(24);
  const at = ctx.now();
  return {
    id,
    table_id: 'tableId' in owner ? owner.tableId : null,
    job_id: 'jobId' in owner ? owner.jobId : null,
    user_id: user.id,
    name: typeof name === 'string' && name !== '' ? name : id,
    size: bytes,
    resumable: resumable === true,
    session_id: null,
    completed_at: null,
    created_at: at,
    expires_at: at + TEMP_UPLOAD_TTL_MS,
  };
}

/** Removes expired slots (records and bytes), then stores `rows` in one transaction. */
export async function storeTempUploadSlots(
  ctx: EmulatorContext,
  rows: readonly TempUploadRow[],
): Promise<void> {
  for (const id of await expireTempUploads(ctx.db, ctx.now()))
    await removeFile(tempUploadFile(ctx.dataDir, id));
  await ctx.db.transaction((tx) => insertTempUploads(tx, rows));
}

/** The URL of a temp upload's resumable session: where its chunks are PUT. */
export function tempUploadSessionUrl(ctx: EmulatorContext, tempUploadId: string, session: string): string {
  return `${ctx.origin}/tempUploads/${tempUploadId}?upload_id=${session}`;
}

/**
 * createTempUploads' body and answer (spec §5.8.1), for a table's slots or a notebook job's: validates every entry,
 * removes expired slots, inserts the new ones and answers 201 `{kind: "tempUploadList", results}` in request order.
 * Call it after the caller's access was checked.
 */
export async function createTempUploadSlots(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  owner: TempUploadOwner,
): Promise<Response> {
  requireUser(c);
  const body = await readJsonObject(c);
  const list = body.tempUploads;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_TEMP_UPLOADS_PER_REQUEST) {
    throw badRequest(`tempUploads must be an array of 1 to ${MAX_TEMP_UPLOADS_PER_REQUEST} objects`);
  }
  const rows = list.map((item, i) =>
    newTempUploadSlot(c, ctx, owner, (item ?? {}) as TempUploadSlotRequest, `tempUploads[${i}].`),
  );
  await storeTempUploadSlots(ctx, rows);
  return c.json({ kind: 'tempUploadList', results: rows.map((t) => tempUploadRepr(ctx, t)) }, 201);
}

/**
 * createTempUploads (spec §5.8.1): byte slots on a table of an unreleased version, each with a URL served by
 * {@link tempUploadBytesRoutes}. Expired slots are removed at startup and on every create.
 */
export function tempUploadsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  ctx.onStartup(async () => {
    for (const id of await expireTempUploads(ctx.db, ctx.now()))
      await removeFile(tempUploadFile(ctx.dataDir, id));
  });
  const app = new Hono<AppEnv>();

  app.post('/tables/:tableRef/tempUploads', async (c) => {
    requireUser(c);
    requireScope(c, 'data.edit');
    const resolved = await editableTable(c, ctx);
    return createTempUploadSlots(c, ctx, { tableId: resolved.table.id });
  });

  return app;
}

/**
 * The byte protocol of temp-upload URLs, Google Cloud Storage's (spec §5.8.1): `PUT url` with the whole body, or
 * `POST url` (`x-goog-resumable: start`) → `Location`, then `PUT` chunks with `Content-Range`, `308` + `Range` while
 * incomplete, `bytes * /total` to ask for progress. Served on the site origin like a storage host, outside the API
 * (no rate limit; the unguessable URL is the capability, as a signed storage URL is, so a credential sent with it is
 * not needed). Bytes go to a file under the data dir as they arrive, so progress survives client and emulator
 * restarts until the slot expires (24 h).
 */
export function tempUploadBytesRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const chunkBody = allowBody(ctx.options.uploads.maxBytes);

  app.post('/tempUploads/:tempUploadId', async (c) => {
    const t = await liveTempUpload(c, ctx);
    if ((c.req.header('x-goog-resumable') ?? '').toLowerCase() !== 'start') {
      throw badRequest('Start a resumable session with the header x-goog-resumable: start');
    }
    const declared = c.req.header('x-upload-content-length');
    if (declared !== undefined && (!/^\d+$/.test(declared) || Number(declared) !== t.size)) {
      throw badRequest(`x-upload-content-length must be the temp upload's size, ${t.size}`);
    }
    if (writing.has(t.id)) throw conflict('A chunk of this temp upload is being written; try again');
    const session = randomId(32);
    await startTempSession(ctx.db, t.id, session);
    await removeFile(tempUploadFile(ctx.dataDir, t.id));
    digests.delete(t.id);
    c.header('Location', tempUploadSessionUrl(ctx, t.id, session));
    return c.body(null, 200);
  });

  app.put('/tempUploads/:tempUploadId', chunkBody, async (c) => {
    const t = await liveTempUpload(c, ctx);
    const session = c.req.query('upload_id');
    if (session !== undefined && session !== t.session_id) {
      throw notFound(
        'This upload session does not exist or was replaced by a newer one; start a new session',
      );
    }
    const path = tempUploadFile(ctx.dataDir, t.id);
    const header = c.req.header('Content-Range');
    const range = header === undefined ? undefined : parseContentRange(header);
    if (header !== undefined && !range) {
      throw badRequest(
        'Content-Range must be "bytes START-END/TOTAL", "bytes START-END/*" or "bytes */TOTAL"',
      );
    }
    if (range && range.total !== null && range.total !== t.size) {
      throw badRequest(`Content-Range total ${range.total} does not match the temp upload's size, ${t.size}`);
    }
    const received = await receivedBytes(path);
    if (range?.kind === 'query') {
      if (received === t.size) return c.json(tempUploadRepr(ctx, t), 200);
      return incomplete(c, received);
    }
    // Without Content-Range (or without a session) the body is the whole file.
    const start = range?.kind === 'chunk' ? range.start : 0;
    const end = range?.kind === 'chunk' ? range.end : t.size - 1;
    if (end >= t.size)
      throw badRequest(`Content-Range ends at byte ${end}, past the temp upload's size (${t.size} bytes)`);
    const from = range?.kind === 'chunk' && session !== undefined ? received : 0;
    if (start > from) {
      throw badRequest(
        `Content-Range starts at byte ${start} but ${from} bytes were received; resume at byte ${from}`,
      );
    }
    const length = end - start + 1;
    const declared = c.req.header('Content-Length');
    if (declared !== undefined && Number(declared) !== length) {
      throw badRequest(`Content-Length ${declared} does not match the ${length} bytes of Content-Range`);
    }
    if (writing.has(t.id)) throw conflict('Another request is writing to this temp upload');
    writing.add(t.id);
    let digest = digests.get(t.id);
    if (from === 0) digest = { hash: createHash('md5'), at: 0 };
    if (!digest || digest.at !== from || digest.hex) digests.delete(t.id);
    else digests.set(t.id, digest);
    const running = digests.get(t.id);
    let now: number;
    try {
      now = await writeChunk(socketBody(c), {
        path,
        start,
        length,
        received: from,
        onData: running
          ? (data) => {
              running.hash.update(data);
              running.at += data.length;
            }
          : undefined,
      });
    } catch (e) {
      if (e instanceof ChunkError && e.kind === 'tooLong') throw badRequest(e.message);
      if (e instanceof ChunkError) throw badRequest(e.message);
      throw e;
    } finally {
      writing.delete(t.id);
    }
    if (running && running.at !== now) digests.delete(t.id);
    if (now === t.size) {
      const complete = digests.get(t.id);
      if (complete) complete.hex = complete.hash.digest('hex');
      await completeTempUpload(ctx.db, t.id, ctx.now());
      return c.json(tempUploadRepr(ctx, t), 200);
    }
    if (session === undefined) {
      throw badRequest(`The body held ${now} of the temp upload's ${t.size} bytes; send the whole file`);
    }
    return incomplete(c, now);
  });

  return app;
}
