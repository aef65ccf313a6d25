import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One PUT that carried bytes: where it started, and the committed offset when it arrived. */
export interface ChunkLog {
  start: number;
  committedBefore: number;
  received: number;
}

/**
 * A small stand-in for the temp-upload byte protocol (GCS resumable) until the emulator serves it on main:
 * `POST /tables/:t/tempUploads`, `POST /temp/:id` (start → Location), `PUT /temp/:id?s=…` with Content-Range
 * (308 + Range while incomplete, `bytes *\/N` to ask), and a fault queue that cuts a chunk after some bytes (the
 * bytes that arrived are kept, as GCS does).
 */
export class GcsServer {
  readonly chunks: ChunkLog[] = [];
  readonly cuts: number[] = [];
  /** Delay before answering each chunk, to keep a client busy long enough to be killed. */
  chunkDelayMs = 0;
  readonly files = new Map<string, { size: number; data: Uint8Array; committed: number; session?: string }>();
  #server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      void this.#handle(
        req,
        res.writeHead.bind(res),
        (status, headers = {}, body = '') => {
          res.writeHead(status, headers).end(body);
        },
        () => req.socket.destroy(),
      );
    });
    await new Promise<void>((r) => this.#server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((r) => this.#server?.close(() => r()));
  }

  async #handle(
    req: IncomingMessage,
    _head: unknown,
    send: (status: number, headers?: Record<string, string>, body?: string) => void,
    drop: () => void,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'POST' && url.pathname.endsWith('/tempUploads')) {
      const body = JSON.parse(await text(req)) as { tempUploads: { size: number; resumable: boolean }[] };
      const results = body.tempUploads.map((t) => {
        const id = `t${this.files.size}`;
        this.files.set(id, { size: t.size, data: new Uint8Array(t.size), committed: 0 });
        return {
          kind: 'tempUpload',
          id,
          url: `${this.url}/temp/${id}`,
          resumable: t.resumable,
          size: String(t.size),
        };
      });
      return send(
        201,
        { 'content-type': 'application/json' },
        JSON.stringify({ kind: 'tempUploadList', results }),
      );
    }
    const file = this.files.get(url.pathname.split('/').pop() ?? '');
    if (!file) return send(404);
    if (req.method === 'POST') {
      file.session = `s${Math.random().toString(36).slice(2)}`;
      file.committed = 0;
      return send(200, { location: `${this.url}${url.pathname}?s=${file.session}` });
    }
    if (url.searchParams.get('s') !== file.session) return send(404);
    const range = req.headers['content-range'] ?? '';
    const query = /^bytes \*\/(\d+)$/.exec(range);
    const incomplete = () => send(308, file.committed > 0 ? { range: `bytes=0-${file.committed - 1}` } : {});
    if (query) {
      await text(req);
      return file.committed === file.size ? send(200) : incomplete();
    }
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (!m) return send(400);
    const start = Number(m[1]);
    const cut = this.cuts.shift();
    this.chunks.push({ start, committedBefore: file.committed, received: 0 });
    const log = this.chunks.at(-1) as ChunkLog;
    if (start > file.committed) return send(400);
    let at = start;
    for await (const piece of req as AsyncIterable<Buffer>) {
      for (const byte of piece) {
        if (cut !== undefined && log.received >= cut) {
          file.committed = Math.max(file.committed, at);
          return drop();
        }
        if (at < file.size) file.data[at] = byte;
        at++;
        log.received++;
      }
    }
    file.committed = Math.max(file.committed, at);
    if (this.chunkDelayMs > 0) await new Promise((r) => setTimeout(r, this.chunkDelayMs));
    return file.committed >= file.size ? send(200) : incomplete();
  }
}

async function text(req: IncomingMessage): Promise<string> {
  let out = '';
  for await (const piece of req) out += piece;
  return out;
}
