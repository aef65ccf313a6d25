import { Hono } from 'hono';
import { buildReadSql } from '../arrow/read-sql.js';
import { toReadableStream } from '../arrow/readable.js';
import { arrowIpcStream } from '../arrow/writer.js';
import { getAuth, requireScope } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, forbidden, notFound, unauthorized } from '../http/errors.js';
import { readSessionsOf } from '../store/read-sessions.js';
import { nonNegativeInteger } from './rows-params.js';

/** Media type of an Arrow IPC stream. */
export const ARROW_STREAM_CONTENT_TYPE = 'application/vnd.apache.arrow.stream';

/**
 * `GET /readStreams/:id` (spec §5.7.2): the stream's rows as an Arrow IPC stream, resumed at `offset` rows, with a
 * final zero-row batch when `eosSentinel=true`. The body is produced as the client reads it (DuckDB chunks pulled
 * by the socket's back-pressure), never compressed (pyarrow reads the raw body). Unknown streams and streams of
 * expired sessions are 404s, the latter saying so.
 */
export function readStreamsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/readStreams/:streamId', async (c) => {
    const found = readSessionsOf(ctx).getStream(c.req.param('streamId') as string);
    if (found === undefined) throw notFound(`Read stream ${c.req.param('streamId')} not found`);
    if (found === 'expired') {
      throw notFound(
        `Read stream ${c.req.param('streamId')} has expired: read sessions last 6 hours; create a new read session`,
      );
    }
    const { session, stream } = found;
    if (!session.allowAnonymousAccess && !session.source.publicData) {
      const { user } = getAuth(c);
      if (!user) throw unauthorized();
      if (session.userId !== user.id)
        throw forbidden('Only the user who created this read session may read it');
      requireScope(c, 'data.data', 'data.edit');
    }
    const offset = nonNegativeInteger(c.req.query('offset'), 'offset') ?? 0;
    if (offset > stream.range.limit) {
      throw badRequest(`offset ${offset} is beyond the ${stream.range.limit} rows of this stream`);
    }
    const eosSentinel = c.req.query('eosSentinel') === 'true';
    // The writer stops at the stream's last row; the SQL bounds the scan too when rowids allow (a pushed-down
    // rowid range), and otherwise only skips to the offset (a LIMIT operator would serialize the scan).
    const { rowidBase } = session.source;
    const window =
      rowidBase === undefined
        ? { offset: stream.range.offset + offset }
        : { offset: stream.range.offset + offset, limit: stream.range.limit - offset };
    const sql = buildReadSql(session.source.relation, session.source.columns, window, rowidBase);
    const conn = await ctx.db.openStreamConnection();
    try {
      const result = await conn.stream(sql);
      const columns = session.source.columns.map((col) => ({ name: col.name ?? col.column, type: col.type }));
      const body = toReadableStream(
        arrowIpcStream(result, columns, { eosSentinel, limit: stream.range.limit - offset }),
        () => ctx.db.releaseStreamConnection(conn),
        c.req.raw.signal,
      );
      return new Response(body, {
        headers: { 'Content-Type': ARROW_STREAM_CONTENT_TYPE, 'Cache-Control': 'no-store' },
      });
    } catch (error) {
      ctx.db.releaseStreamConnection(conn);
      throw error;
    }
  });

  return app;
}
