import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { type Context, Hono } from 'hono';
import { assertExportAllowed } from '../auth/export-restrictions.js';
import { type AccessLevel, atLeast, maxLevel } from '../auth/levels.js';
import { assertAccess, getAuth, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import {
  loadSignedUrlKey,
  MAX_SIGNED_URL_SECONDS,
  signedQuery,
  verifySignedQuery,
} from '../files/signed-urls.js';
import { downloadHeaders } from '../files/download-headers.js';
import type { AppEnv } from '../http/env.js';
import { rawFilePath } from '../ingest/files.js';
import { ApiError, badRequest, forbidden, notFound, readJsonObject } from '../http/errors.js';
import { datasetPublicLevel, datasetUserLevel } from '../store/datasets.js';
import { getRawFile, type RawFileRow } from '../store/files.js';
import type { DatasetRow, UserRow } from '../store/rows.js';

/**
 * Raw file bytes (spec §5.4): `GET /rawFiles/:id` (200, or 206 with `Content-Range` for `Range: bytes=a-b` / `a-`;
 * `Content-Digest`, `Digest` and `x-goog-hash` MD5 headers, `Content-Type`, `Content-Disposition`, `X-Redivis-Filename`),
 * `HEAD` with the same headers (metadata access), and
 * `POST /rawFiles/:id/signedUrl` (`{duration}` seconds ≤ 86,400 → the URL as plain text), whose URL downloads the
 * file without a token as its creator until it expires. Export restrictions apply to every download.
 */
export function rawFileDownloadsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  let key: Buffer | undefined;
  ctx.onStartup(async () => {
    key = await loadSignedUrlKey(ctx.dataDir);
  });
  const signingKey = () => {
    if (!key) throw new ApiError(503, 'service_unavailable', 'The emulator is still starting');
    return key;
  };
  const app = new Hono<AppEnv>();

  const fileAndDataset = async (id: string) => {
    const file = await getRawFile(ctx.db, id);
    if (!file) throw notFound(`File ${id} not found`);
    const dataset = file.dataset_id
      ? await ctx.db.one<DatasetRow>('SELECT * FROM datasets WHERE id = ?', [file.dataset_id])
      : undefined;
    return { file, dataset };
  };

  /** The caller's level on the file's dataset after the usual 401/403/404 checks. */
  const accessAs = async (
    c: Context<AppEnv>,
    file: RawFileRow,
    dataset: DatasetRow | undefined,
    needed: AccessLevel,
  ) => {
    if (!dataset) return 'edit' as AccessLevel;
    const userLevel = await datasetUserLevel(ctx.db, dataset, getAuth(c).user?.id);
    assertAccess(
      c,
      { label: `File ${file.id}`, publicLevel: datasetPublicLevel(dataset), userLevel },
      needed,
    );
    return userLevel;
  };

  app.post('/rawFiles/:fileId/signedUrl', async (c) => {
    const user = requireUser(c);
    requireScope(c, 'data.data', 'data.edit');
    const { file, dataset } = await fileAndDataset(c.req.param('fileId'));
    const userLevel = await accessAs(c, file, dataset, 'data');
    const body = await readJsonObject(c);
    const duration = body.duration;
    if (
      typeof duration !== 'number' ||
      !Number.isInteger(duration) ||
      duration < 1 ||
      duration > MAX_SIGNED_URL_SECONDS
    ) {
      throw badRequest(`duration must be a whole number of seconds from 1 to ${MAX_SIGNED_URL_SECONDS}`);
    }
    if (dataset) assertExportAllowed(c, { dataset, userLevel, userName: user.name, bytes: file.size });
    const expires = Math.floor(ctx.now() / 1000) + duration;
    const query = signedQuery(signingKey(), { fileId: file.id, userId: user.id, expires });
    return c.text(`${ctx.origin}/api/v1/rawFiles/${encodeURIComponent(file.id)}?${query}`);
  });

  app.get('/rawFiles/:fileId', async (c) => {
    const id = c.req.param('fileId');
    const head = c.req.method === 'HEAD';
    let userName: string | undefined;
    let userLevel: AccessLevel;
    let found: Awaited<ReturnType<typeof fileAndDataset>>;
    if (c.req.query('signature') !== undefined) {
      // A signed URL: checked before anything about the file is revealed; then the creator's access decides.
      const grant = verifySignedQuery(signingKey(), id, c.req.query(), ctx.now());
      if (grant === 'invalid') throw forbidden('The signed URL is not valid for this file');
      if (grant === 'expired') throw forbidden('The signed URL has expired; create a new one');
      found = await fileAndDataset(id);
      const creator = await ctx.db.one<UserRow>('SELECT * FROM users WHERE id = ?', [grant.userId]);
      if (!creator) throw forbidden('The signed URL is not valid for this file');
      userName = creator.name;
      userLevel = found.dataset ? await datasetUserLevel(ctx.db, found.dataset, creator.id) : 'edit';
      const reach = found.dataset ? maxLevel(userLevel, datasetPublicLevel(found.dataset)) : userLevel;
      if (!atLeast(reach, 'data'))
        throw forbidden('The creator of this signed URL can no longer read the file');
    } else {
      found = await fileAndDataset(id);
      userName = getAuth(c).user?.name;
      userLevel = await accessAs(c, found.file, found.dataset, head ? 'metadata' : 'data');
    }
    const { file, dataset } = found;
    if (!head && dataset) assertExportAllowed(c, { dataset, userLevel, userName, bytes: file.size });
    return fileResponse(c, ctx.dataDir, file, head);
  });

  return app;
}

/** The file's bytes (or a `Range` of them) with the download headers the clients read; HEAD gets the headers. */
function fileResponse(c: Context<AppEnv>, dataDir: string, file: RawFileRow, head: boolean): Response {
  const headers = downloadHeaders(file);
  const size = file.size;
  const rangeHeader = c.req.header('Range');
  if (rangeHeader === undefined || head) {
    const all = { ...headers, 'Content-Length': String(size) };
    return head ? c.body(null, 200, all) : c.body(fileBytes(dataDir, file, 0, size - 1), 200, all);
  }
  const range = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader.trim());
  const start = range ? Number(range[1]) : Number.NaN;
  const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  if (!range || start >= size || start > end) {
    throw new ApiError(
      416,
      'range_not_satisfiable',
      'Requested range not satisfiable',
      {},
      { 'Content-Range': `bytes */${size}` },
    );
  }
  return c.body(fileBytes(dataDir, file, start, end), 206, {
    ...headers,
    'Content-Length': String(end - start + 1),
    'Content-Range': `bytes ${start}-${end}/${size}`,
  });
}

/** Bytes `start..end` (inclusive) of the file: from its row, or streamed from disk (files of any size). */
function fileBytes(
  dataDir: string,
  file: RawFileRow,
  start: number,
  end: number,
): Uint8Array<ArrayBuffer> | ReadableStream {
  if (!file.on_disk) return new Uint8Array(Buffer.from(file.content, 'base64').subarray(start, end + 1));
  if (end < start) return new Uint8Array(0);
  const stream = createReadStream(rawFilePath(dataDir, file.id), { start, end, highWaterMark: 1 << 20 });
  return Readable.toWeb(stream) as ReadableStream;
}
