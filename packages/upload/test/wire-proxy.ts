import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultRule } from '@redivis-ts/emulator';

/** One request that went through the proxy, as the wire saw it. */
export interface WireRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** The request's `Content-Range`, if any. */
  contentRange: string | undefined;
  /** The request's `Range` (a resumed download). */
  requestRange: string | undefined;
  /** Body bytes forwarded to the emulator. */
  bytesSent: number;
  /** The fault rule the proxy attached (`X-Redivis-Emulator-Fault`). */
  fault: FaultRule | undefined;
  /** The emulator's status; undefined when it dropped the connection without an answer. */
  status: number | undefined;
  /** The `Range` header of the answer (a 308's committed bytes). */
  range: string | undefined;
}

/** Decides the fault to attach to one request (undefined: none); `index` counts the requests it was asked about. */
export type FaultPlan = (request: IncomingMessage, index: number) => FaultRule | undefined;

/**
 * A real HTTP proxy in front of the emulator that records every request (method, `Content-Range`, body bytes, the
 * answer) and can attach the emulator's own fault header to chosen requests, so that the emulator cuts a chunk at
 * a point the test picked. The emulator's origin is rewritten to the proxy's in `Location` headers and JSON bodies
 * (temp-upload URLs are absolute), so the byte protocol goes through the proxy too.
 */
export class WireProxy {
  readonly requests: WireRequest[] = [];
  plan: FaultPlan | undefined;
  #asked = 0;
  #server: Server | undefined;
  #origin = '';

  /** @param upstream - The emulator's origin, e.g. `http://127.0.0.1:5555`. */
  constructor(readonly upstream: string) {}

  /** The proxy's origin. */
  get origin(): string {
    return this.#origin;
  }

  /** The API base URL through the proxy. */
  get url(): string {
    return `${this.#origin}/api/v1`;
  }

  async start(): Promise<this> {
    const up = new URL(this.upstream);
    this.#server = createServer((req, res) => {
      const fault = this.plan?.(req, this.#asked++);
      const entry: WireRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        contentRange: req.headers['content-range'],
        requestRange: req.headers.range,
        bytesSent: 0,
        fault,
        status: undefined,
        range: undefined,
      };
      this.requests.push(entry);
      const headers: IncomingHttpHeaders = { ...req.headers, host: up.host };
      if (fault) headers['x-redivis-emulator-fault'] = JSON.stringify(fault);
      const out = httpRequest(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers },
        (answer) => {
          entry.status = answer.statusCode;
          entry.range = answer.headers.range;
          const resHeaders = { ...answer.headers };
          if (typeof resHeaders.location === 'string')
            resHeaders.location = resHeaders.location.replace(this.upstream, this.#origin);
          // A body the emulator broke off (an injected cut) breaks off for the client too.
          answer.on('close', () => {
            if (!answer.complete) res.destroy();
          });
          if (!String(resHeaders['content-type']).includes('json')) {
            res.writeHead(answer.statusCode ?? 502, resHeaders);
            answer.pipe(res);
            return;
          }
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => {
            const body = Buffer.from(
              Buffer.concat(parts).toString('utf8').replaceAll(this.upstream, this.#origin),
            );
            delete resHeaders['transfer-encoding'];
            resHeaders['content-length'] = String(body.length);
            res.writeHead(answer.statusCode ?? 502, resHeaders).end(body);
          });
        },
      );
      // The emulator dropped the connection (a cut chunk): the client must see the same.
      out.on('error', () => req.socket.destroy());
      req.on('data', (c: Buffer) => {
        entry.bytesSent += c.length;
      });
      req.pipe(out);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}

/** The byte-carrying chunk PUTs of the resumable protocol (not the `bytes *\/N` status queries). */
export function chunkPuts(requests: readonly WireRequest[]): WireRequest[] {
  return requests.filter((r) => r.method === 'PUT' && /^bytes \d+-\d+\/\d+$/.test(r.contentRange ?? ''));
}

/** `bytes=0-N` → N + 1. */
export function committedOf(range: string | undefined): number {
  const m = /^bytes=0-(\d+)$/.exec(range ?? '');
  return m ? Number(m[1]) + 1 : 0;
}

/** One chunk PUT of a resumable session, with what the server had committed before and after it. */
export interface ChunkRecord {
  request: WireRequest;
  start: number;
  /** Bytes the chunk carried (`Content-Range` length). */
  length: number;
  /** The server's committed offset when the chunk was sent (its last answer: a 308's `Range`, 200 = all). */
  committedBefore: number;
  /** The committed offset the server reported next (after the chunk, or after the status query that followed a cut). */
  committedAfter: number;
}

/**
 * Walks the resumable traffic of one session: per chunk, where it started and what the server had committed before
 * and after it. A chunk starting below `committedBefore` re-sent committed bytes.
 */
export function chunkOffsets(requests: readonly WireRequest[], size: number): ChunkRecord[] {
  let committed = 0;
  const out: ChunkRecord[] = [];
  for (const r of requests) {
    if (r.method === 'POST' && r.path.includes('/tempUploads/') && r.status === 200) committed = 0;
    if (r.method !== 'PUT' || !r.path.includes('/tempUploads/')) continue;
    const chunk = /^bytes (\d+)-(\d+)\/\d+$/.exec(r.contentRange ?? '');
    if (chunk) {
      const start = Number(chunk[1]);
      out.push({
        request: r,
        start,
        length: Number(chunk[2]) - start + 1,
        committedBefore: committed,
        committedAfter: -1,
      });
    }
    if (r.status === 308) committed = committedOf(r.range);
    else if (r.status === 200 || r.status === 201) committed = size;
    else continue;
    for (const c of out) if (c.committedAfter === -1) c.committedAfter = committed;
  }
  return out;
}
