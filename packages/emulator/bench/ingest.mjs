// Upload ingest benchmark: a generated CSV sent through a resumable temp upload (one PUT, as the Python client
// does) and imported, against DuckDB reading the same file into a table of its own file database (the baseline,
// measured in the same run). Prints rows/s, the ratio, and the server's RSS growth during transfer and import.
// Usage (after `pnpm build`): node bench/ingest.mjs [MiB]   (default 200)
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { api, fmt, rssMiB, sampleRss, startServer, TOKEN } from './common.mjs';

const MIB = Number(process.argv[2] ?? process.env.BENCH_MB ?? 200);
const work = mkdtempSync(join(tmpdir(), 'redivis-ingest-bench-'));
const csv = join(work, 'data.csv');

// ~60 bytes per row: an id, two strings, a float, a date and a timestamp.
const rows = Math.round((MIB * 2 ** 20) / 60);
{
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`COPY (SELECT range AS id, 'name_' || (range % 1000) AS name, 'code' || (range % 97) AS code,
      (range % 10007) / 7.0 AS score, DATE '2020-01-01' + (range % 1500)::INTEGER AS day,
      TIMESTAMP '2020-01-01' + to_seconds(range % 100000000) AS at FROM range(${rows}))
    TO '${csv}' (HEADER, DELIMITER ',')`);
  conn.closeSync();
  db.closeSync();
}
const bytes = statSync(csv).size;
console.log(`CSV: ${rows.toLocaleString()} rows, ${fmt(bytes / 2 ** 20)} MiB`);

// Baseline: DuckDB parsing the file into a table of a file database, as the emulator does.
const baseDir = mkdtempSync(join(tmpdir(), 'redivis-ingest-base-'));
let baseline;
{
  const db = await DuckDBInstance.create(join(baseDir, 'b.duckdb'));
  const conn = await db.connect();
  const t = performance.now();
  await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}', header = true, delim = ',')`);
  baseline = performance.now() - t;
  conn.closeSync();
  db.closeSync();
  rmSync(baseDir, { recursive: true, force: true });
}

const server = await startServer(10);
try {
  const ds = await api(server.url, '/users/alice/datasets', {
    name: 'ingest_bench',
    publicAccessLevel: 'none',
  });
  const dsRef = encodeURIComponent('alice.ingest_bench:next');
  await api(server.url, `/datasets/${dsRef}/tables`, { name: 'big' });
  const table = `/tables/${encodeURIComponent('alice.ingest_bench:next.big')}`;
  const rssBefore = rssMiB(server.pid);
  const t0 = performance.now();
  const { results } = await api(server.url, `${table}/tempUploads`, {
    tempUploads: [{ size: bytes, name: 'data.csv', resumable: true }],
  });
  const temp = results[0];
  const start = await fetch(temp.url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      'x-goog-resumable': 'start',
      'x-upload-content-length': String(bytes),
    },
  });
  const session = start.headers.get('location');
  const stopTransferRss = sampleRss(server.pid);
  const status = await new Promise((resolve, reject) => {
    const req = request(session, {
      method: 'PUT',
      headers: { 'Content-Length': bytes, 'Content-Range': `bytes 0-${bytes - 1}/${bytes}` },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    createReadStream(csv, { highWaterMark: 1 << 20 }).pipe(req);
  });
  if (status !== 200) throw new Error(`PUT answered ${status}`);
  const transferPeak = stopTransferRss();
  const t1 = performance.now();
  const stopImportRss = sampleRss(server.pid);
  const upload = await api(server.url, `${table}/uploads`, { name: 'data.csv', tempUploadId: temp.id });
  let done;
  for (;;) {
    done = await api(server.url, upload.uri);
    if (done.status === 'completed' || done.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const t2 = performance.now();
  const importPeak = stopImportRss();
  if (done.status !== 'completed' || done.numRows !== rows)
    throw new Error(`upload: ${JSON.stringify(done)}`);
  const total = t2 - t0;
  const perSec = (ms) => rows / (ms / 1000);
  console.log(
    `baseline: DuckDB read_csv → table: ${fmt(baseline)} ms, ${fmt(perSec(baseline) / 1e6, 2)} M rows/s`,
  );
  console.log(
    `emulator: transfer ${fmt(t1 - t0)} ms + import ${fmt(t2 - t1)} ms = ${fmt(total)} ms, ${fmt(perSec(total) / 1e6, 2)} M rows/s`,
  );
  console.log(
    `ratio (emulator rows/s ÷ baseline rows/s): ${fmt(baseline / total, 2)}; import alone: ${fmt(baseline / (t2 - t1), 2)}`,
  );
  console.log(
    `server RSS: ${fmt(rssBefore)} MiB before, peak +${fmt(transferPeak - rssBefore)} MiB while receiving ${fmt(bytes / 2 ** 20)} MiB, peak +${fmt(importPeak - rssBefore)} MiB while importing`,
  );
  void ds;
} finally {
  await server.stop();
  server.remove();
  rmSync(work, { recursive: true, force: true });
}
