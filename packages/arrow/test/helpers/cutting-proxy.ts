import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One response that went through the proxy. */
export interface ProxiedResponse {
  path: string;
  /** Body bytes passed on to the client. */
  forwarded: number;
  /** Set when the proxy dropped the connection on purpose. */
  cut: boolean;
  /** Set when the client went away before the upstream body ended. */
  clientClosed: boolean;
  /** Set when the whole body was passed on (a fast reader can finish a short stream before it aborts). */
  finished: boolean;
}

/**
 * An HTTP proxy between a client and the emulator that cuts chosen responses after a chosen number of body bytes
 * (a connection reset mid-body), to exercise resume against the real server.
 *
 * @param upstream - The emulator's origin, e.g. `http://127.0.0.1:4321`.
 * @param cutAfter - For each response: the byte count after which to cut, or undefined to pass it whole.
 */
export async function startCuttingProxy(
  upstream: string,
  cutAfter: (path: string, count: number) => number | undefined,
) {
  const target = new URL(upstream);
  const responses: ProxiedResponse[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const key = path.replace(/\?.*$/, '');
    const count = counts.get(key) ?? 0;
    counts.set(key, count + 1);
    const limit = cutAfter(path, count);
    const record: ProxiedResponse = { path, forwarded: 0, cut: false, clientClosed: false, finished: false };
    const upstreamReq = request(
      { host: target.hostname, port: target.port, path, method: req.method, headers: req.headers },
      (upstreamRes) => {
        responses.push(record);
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.on('data', (chunk: Buffer) => {
          if (record.cut) return;
          const room = limit === undefined ? chunk.length : limit - record.forwarded;
          const piece = room >= chunk.length ? chunk : chunk.subarray(0, Math.max(0, room));
          record.forwarded += piece.length;
          if (piece.length && !res.write(piece)) {
            upstreamRes.pause();
            res.once('drain', () => upstreamRes.resume());
          }
          if (limit !== undefined && record.forwarded >= limit) {
            record.cut = true;
            upstreamRes.destroy();
            res.socket?.end();
            res.socket?.destroy();
          }
        });
        upstreamRes.on('end', () => {
          if (!record.cut) res.end();
        });
      },
    );
    res.on('finish', () => {
      record.finished = true;
    });
    res.on('close', () => {
      if (!res.writableFinished && !record.cut) {
        record.clientClosed = true;
        upstreamReq.destroy();
      }
    });
    upstreamReq.on('error', () => res.destroy());
    req.pipe(upstreamReq);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    responses,
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
