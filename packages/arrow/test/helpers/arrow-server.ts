import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordBatch, Table } from 'apache-arrow';
import type { VariableInfo } from '../../src/index.js';
import { streamParts } from './ipc-bytes.js';

export { emptyBatch, streamBytes, streamParts } from './ipc-bytes.js';

/** A stream generated batch by batch while it is sent (for streams too large to hold in memory). */
export interface GeneratedStream {
  numRows: number;
  /** Rows start..end-1, with every column of the stream. */
  batch(start: number, end: number): RecordBatch;
}

/** A table the test server serves: its variables and, per stream, the rows that stream holds. */
export interface FixtureTable {
  variables: VariableInfo[];
  /** One Arrow table per stream (streams may differ in schema, like uploads of an unreleased table). */
  streams: (Table | GeneratedStream)[];
  /** Rows per record batch written to the wire. @default 1000 */
  batchRows?: number;
}

/** What a fault hook may do to one GET /readStreams response. */
export interface StreamFault {
  /** Stop after this many body bytes. */
  cutAt?: number;
  /**
   * 'reset' destroys the socket (a network error); 'end' finishes the response cleanly (a short body); 'stall'
   * keeps the connection open and sends nothing more.
   */
  mode?: 'reset' | 'end' | 'stall';
  /** Answer with this HTTP status instead of the stream. */
  status?: number;
}

/** Context handed to the fault hook. */
export interface StreamRequestInfo {
  streamId: string;
  /** 0 for the first request of this stream, then 1, 2… */
  attempt: number;
  offset: number;
  /** Size of the full response body this request would get. */
  bytes: number;
}

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Request headers, names lower-cased. */
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** Per-response bookkeeping, to assert back-pressure and connection release. */
export interface ResponseRecord {
  streamId: string;
  offset: number;
  total: number;
  written: number;
  /** Set when the client closed the connection before the body was complete. */
  closedEarly: boolean;
  /** Set when the server is blocked waiting for the client to read. */
  waitingForDrain: boolean;
  finished: boolean;
}

interface Session {
  table: FixtureTable;
  columns: string[];
  /** Rows each stream serves after the maxResults cap. */
  limits: number[];
}

/**
 * A small Redivis-like server: variables, read sessions and Arrow IPC read streams with `offset` and
 * `eosSentinel`, honouring `maxResults` and `selectedVariables`, with fault injection.
 */
export async function startArrowServer(
  tables: Record<string, FixtureTable>,
  options: {
    fault?: (info: StreamRequestInfo) => StreamFault | undefined;
    chunkBytes?: number;
    /** Serve every row whatever maxResults says (the over-delivery the JS client guards against). */
    ignoreMaxResults?: boolean;
    /** Never append the zero-row sentinel (a server that ignores `eosSentinel=true`). */
    ignoreEosSentinel?: boolean;
  } = {},
) {
  const requests: RecordedRequest[] = [];
  const responses: ResponseRecord[] = [];
  const sessions = new Map<string, Session>();
  const attempts = new Map<string, number>();
  let sessionCount = 0;

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.replace(/^\/api\/v1/, '');
      const query = Object.fromEntries(url.searchParams);
      const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : undefined;
      requests.push({
        method: req.method ?? 'GET',
        path,
        query,
        headers: req.headers,
        ...(body === undefined ? {} : { body }),
      });

      const variablesMatch = /^(.*)\/variables$/.exec(path);
      if (req.method === 'GET' && variablesMatch && tables[decodeURIComponent(variablesMatch[1]!)]) {
        const all = tables[decodeURIComponent(variablesMatch[1]!)]!.variables;
        const start = Number(query.pageToken ?? 0);
        const size = Number(query.maxResults ?? 100);
        const next = start + size < all.length ? String(start + size) : null;
        return json(res, 200, {
          kind: 'variableList',
          results: all.slice(start, start + size),
          nextPageToken: next,
        });
      }
      const sessionMatch = /^(.*)\/readSessions$/.exec(path);
      if (req.method === 'POST' && sessionMatch && tables[decodeURIComponent(sessionMatch[1]!)]) {
        const table = tables[decodeURIComponent(sessionMatch[1]!)]!;
        const b = body as { selectedVariables?: string[]; maxResults?: number };
        const lower = new Map(table.variables.map((v) => [v.name.toLowerCase(), v.name]));
        const columns = (b.selectedVariables ?? table.variables.map((v) => v.name)).map(
          (n) => lower.get(n.toLowerCase()) ?? n,
        );
        let remaining = options.ignoreMaxResults
          ? Number.POSITIVE_INFINITY
          : (b.maxResults ?? Number.POSITIVE_INFINITY);
        const limits = table.streams.map((t) => {
          const n = Math.min(t.numRows, remaining);
          remaining -= n;
          return n;
        });
        const id = `session${++sessionCount}`;
        sessions.set(id, { table, columns, limits });
        const streams = limits.map((n, i) => ({ kind: 'readStream', id: `${id}-${i}`, estimatedRows: n }));
        return json(res, 201, {
          kind: 'readSession',
          id,
          streams,
          numRows: limits.reduce((a, n) => a + n, 0),
        });
      }
      const streamMatch = /^\/readStreams\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && streamMatch) {
        const streamId = decodeURIComponent(streamMatch[1]!);
        const [sessionId, index] = streamId.split('-');
        const session = sessions.get(sessionId!);
        const stream = session?.table.streams[Number(index)];
        if (!session || !stream) return json(res, 404, { error: { message: 'Not found', status: 404 } });
        const offset = Number(query.offset ?? 0);
        const limit = session.limits[Number(index)]!;
        if (offset > limit) return json(res, 400, { error: { message: 'offset beyond rows', status: 400 } });
        const batchRows = session.table.batchRows ?? 1000;
        const sentinel = query.eosSentinel === 'true' && !options.ignoreEosSentinel;
        let parts: Iterable<Uint8Array> = streamParts(
          stream,
          session.columns,
          offset,
          limit,
          batchRows,
          sentinel,
        );
        let bytes = Number.NaN;
        if (!('batch' in stream)) {
          parts = [...parts];
          bytes = (parts as Uint8Array[]).reduce((n, p) => n + p.length, 0);
        }
        const attempt = attempts.get(streamId) ?? 0;
        attempts.set(streamId, attempt + 1);
        const fault = options.fault?.({ streamId, attempt, offset, bytes });
        if (fault?.status)
          return json(res, fault.status, { error: { message: 'injected', status: fault.status } });
        return await send(res, parts, bytes, { streamId, offset }, fault, options.chunkBytes ?? 16 * 1024);
      }
      json(res, 404, { error: { message: `No route ${req.method} ${path}`, status: 404 } });
    } catch (error) {
      json(res, 500, { error: { message: String(error), status: 500 } });
    }
  });

  async function send(
    res: ServerResponse,
    parts: Iterable<Uint8Array>,
    total: number,
    ids: { streamId: string; offset: number },
    fault: StreamFault | undefined,
    chunk: number,
  ) {
    const record: ResponseRecord = {
      ...ids,
      total,
      written: 0,
      closedEarly: false,
      waitingForDrain: false,
      finished: false,
    };
    responses.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.closedEarly = true;
    });
    res.writeHead(200, { 'content-type': 'application/vnd.apache.arrow.stream' });
    const end = fault?.cutAt ?? Number.POSITIVE_INFINITY;
    for (const part of parts) {
      for (let at = 0; at < part.length && record.written < end && !res.destroyed; ) {
        const piece = part.subarray(at, Math.min(part.length, at + chunk, at + end - record.written));
        at += piece.length;
        record.written += piece.length;
        if (!res.write(piece)) {
          record.waitingForDrain = true;
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
          record.waitingForDrain = false;
        }
      }
      if (res.destroyed || record.written >= end) break;
    }
    if (res.destroyed || (record.written >= end && fault?.mode === 'stall')) return;
    if (record.written >= end && fault?.mode !== 'end') {
      // Flush what was written, then drop the connection mid-body.
      res.socket?.end();
      res.socket?.destroy();
      return;
    }
    res.end();
    record.finished = true;
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    requests,
    responses,
    streamRequests: () => requests.filter((r) => r.path.startsWith('/readStreams/')),
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
