import type { Context } from 'hono';
import { buildReadSql } from '../arrow/read-sql.js';
import { toReadableStream } from '../arrow/readable.js';
import { arrowIpcStream } from '../arrow/writer.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import {
  LIST_ROWS_CONTENT_TYPE,
  listRowsHeader,
  listRowsLines,
  listRowsSql,
  listRowsStream,
} from '../sql/list-rows.js';
import { ARROW_STREAM_CONTENT_TYPE } from './read-streams.js';
import { type NamedColumn, parseListRowsParams } from './rows-params.js';

/**
 * Relations of at most this many bytes (the `numBytes` measure, where a null counts nothing) and rows are listed
 * as NDJSON or CSV in one read on a reader connection, the whole answer built in memory: one round trip into DuckDB
 * instead of six (connect, extract, prepare, stream, a fetch per chunk and the empty one).
 */
const IN_MEMORY_ROWS = { numBytes: 1024 * 1024, numRows: 10_000 };

/** A relation's size, when the caller knows it. */
export interface RelationSize {
  numBytes: number;
  numRows: number;
}

/**
 * Answers a rows request (tables, queries, uploads: spec §5.8.5, §5.6.3, §5.9.3) for the rows of `relation`.
 * `format=arrow` is an Arrow IPC stream written by the read streams' encoder (same types, batches pulled by the
 * socket, so memory stays flat); otherwise NDJSON or CSV. The DuckDB connection is released when the body ends,
 * fails or the client goes away. `size`, when the caller knows it, lets a small relation be read at once.
 */
export async function rowsResponse(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  relation: string,
  columns: readonly NamedColumn[],
  size?: RelationSize,
): Promise<Response> {
  const params = parseListRowsParams(c, columns);
  const small =
    size !== undefined && size.numBytes <= IN_MEMORY_ROWS.numBytes && size.numRows <= IN_MEMORY_ROWS.numRows;
  if (params.format !== 'arrow' && small) {
    const { format } = params;
    const rows = await ctx.db.rows(listRowsSql(relation, params.columns, params.maxResults));
    const body = listRowsHeader(params.columns, format) + listRowsLines(rows, params.columns, format);
    return new Response(body, { headers: { 'Content-Type': LIST_ROWS_CONTENT_TYPE[format] } });
  }
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
