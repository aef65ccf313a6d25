import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to one download response. */
export interface Fault {
  /** Forward this many body bytes, then destroy the connection. */
  cutAfter?: number;
  /** Replace the response's `Content-Digest`. */
  digest?: string;
  /** Drop the request's `Range` header (a server that ignores ranges). */
  ignoreRange?: boolean;
}

/**
 * A real HTTP proxy in front of the emulator that cuts, or tampers with, download responses (`/rawFiles/…`,
 * `/exports/…/download`) according to a queue of faults; everything else passes through untouched. It records the
 * `Range` header of every download request.
 */
export class CuttingProxy {
  readonly faults: Fault[] = [];
  readonly ranges: (string | undefined)[] = [];
  #server: Server | undefined;
  #url = '';

  constructor(readonly upstream: string) {}

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    const upstream = new URL(this.upstream);
    this.#server = createServer((req, res) => {
      const isDownload = /\/rawFiles\/[^/?]+(\?|$)|\/exports\/[^/]+\/download/.test(req.url ?? '');
      const fault = isDownload ? this.faults.shift() : undefined;
      if (isDownload) this.ranges.push(req.headers.range);
      const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
      if (fault?.ignoreRange) delete headers.range;
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
        (up) => {
          const resHeaders = { ...up.headers };
          if (fault?.digest) resHeaders['content-digest'] = `md5=:${fault.digest}:`;
          res.writeHead(up.statusCode ?? 502, resHeaders);
          let sent = 0;
          up.on('data', (chunk: Buffer) => {
            if (fault?.cutAfter === undefined) return void res.write(chunk);
            const room = fault.cutAfter - sent;
            if (room > 0) res.write(chunk.subarray(0, room));
            sent += chunk.length;
            if (sent >= fault.cutAfter) {
              up.destroy();
              // Let the written bytes leave before the reset.
              setTimeout(() => req.socket.destroy(), 20);
            }
          });
          up.on('end', () => res.end());
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}${upstream.pathname}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }
}
