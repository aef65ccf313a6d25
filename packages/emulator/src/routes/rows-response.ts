import type { Context } from 'hono';
import { buildReadSql } from '../arrow/read-sql.js';
import { toReadableStream } from '../arrow/readable.js';
import { arrowIpcStream } from '../arrow/writer.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { LIST_ROWS_CONTENT_TYPE, listRowsStream } from '../sql/list-rows.js';
import { ARROW_STREAM_CONTENT_TYPE } from './read-streams.js';
import { type NamedColumn, parseListRowsParams } from './rows-params.js';

/**
 * Answers a rows request (tables, queries, uploads: spec §5.8.5, §5.6.3, §5.9.3) for the rows of `relation`.
 * `format=arrow` is an Arrow IPC stream written by the read streams' encoder (same types, batches pulled by the
 * socket, so memory stays flat); otherwise NDJSON or CSV. The DuckDB connection is released when the body ends,
 * fails or the client goes away.
 */
export async function rowsResponse(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  relation: string,
  columns: readonly NamedColumn[],
): Promise<Response> {
  const params = parseListRowsParams(c, columns);
  const conn = await ctx.db.openStreamConnection();
  const release = () => ctx.db.releaseStreamConnection(conn);
  try {
    if (params.format === 'arrow') {
      // No LIMIT in the SQL: it would serialize DuckDB's parallel scan (the JS client always sends maxResults).
      // The writer stops at maxResults and the rest of the scan is abandoned with the connection.
      const result = await conn.stream(buildReadSql(relation, params.columns, { offset: 0 }));
      const read = params.columns.map((col) => ({ name: col.name, type: col.type }));
      const options = params.maxResults === undefined ? {} : { limit: params.maxResults };
      const body = toReadableStream(arrowIpcStream(result, read, options), release, c.req.raw.signal);
      return new Response(body, {
        headers: { 'Content-Type': ARROW_STREAM_CONTENT_TYPE, 'Cache-Control': 'no-store' },
      });
    }
    const { format } = params;
    const options = params.maxResults === undefined ? { format } : { format, maxResults: params.maxResults };
    const body = await listRowsStream(conn, relation, params.columns, options, release, c.req.raw.signal);
    return new Response(body, { headers: { 'Content-Type': LIST_ROWS_CONTENT_TYPE[format] } });
  } catch (error) {
    release();
    throw error;
  }
}
