// Server memory while refusing oversized request bodies: a 600 MB JSON body sent with Content-Length and the same
// sent chunked (no Content-Length) to POST /users/:u/datasets, against the built emulator in a child process.
// Prints the server's RSS before (the same-run baseline) and its peak during each request, the status and how many
// bytes the client had written when the answer came.
// Usage: node bench/body-limit.mjs [megabytes=600]   (after `pnpm build`)
import { request } from 'node:http';
import { fmt, rssMiB, sampleRss, startServer } from './common.mjs';

const TOTAL = Number(process.argv[2] ?? 600) * 1e6;
const server = await startServer(1000);

function send(declare) {
  const url = new URL(`${server.url}/users/alice/datasets`);
  return new Promise((resolve) => {
    let written = 0;
    let status = 0;
    let at = 0;
    const headers = { Authorization: 'Bearer rdv_demo_alice_token', 'Content-Type': 'application/json' };
    if (declare) headers['Content-Length'] = String(TOTAL);
    const req = request(url, { method: 'POST', headers }, (res) => {
      status = res.statusCode;
      at = written;
      res.resume();
      res.on('end', () => {
        req.destroy();
        resolve({ status, written: at });
      });
    });
    req.on('error', () => resolve({ status, written: at || written }));
    const chunk = Buffer.alloc(1 << 20, 0x20);
    chunk[0] = 0x5b; // '[' so that a server reading it all sees one long JSON value
    const pump = () => {
      while (!status && written < TOTAL) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!status) req.end();
    };
    pump();
  });
}

try {
  const before = rssMiB(server.pid);
  console.log(`server RSS before: ${fmt(before)} MiB; body ${TOTAL / 1e6} MB`);
  for (const declare of [true, false]) {
    const stop = sampleRss(server.pid);
    const t = performance.now();
    const r = await send(declare);
    const ms = performance.now() - t;
    const peak = stop();
    console.log(
      `${declare ? 'Content-Length' : 'chunked       '}  status ${r.status}  answered after ${fmt(r.written / 1e6)} MB written, ` +
        `${fmt(ms, 0)} ms  peak RSS ${fmt(peak)} MiB (${fmt(peak / before, 2)}× before, +${fmt(peak - before)} MiB)`,
    );
  }
} finally {
  await server.stop();
  server.remove();
}
