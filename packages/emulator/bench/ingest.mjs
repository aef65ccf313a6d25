// Upload ingest benchmark: a generated CSV sent through a resumable temp upload (one PUT, as the Python client
// does) and imported, against DuckDB reading the same file into a table of its own file database (the baseline).
// Rounds interleave the baseline and the upload (alternating which goes first) on the same file; each round's ratio
// compares the two measured in that round, and the median of the rounds is the figure (the machine is shared). CPU
// time (the baseline's process, the server's) is printed beside wall time: it shows the work, less the machine's load.
// Usage (after `pnpm build`): node bench/ingest.mjs [MiB] [rounds]   (default 200 MiB, 3 rounds)
// BENCH_BEFORE_DIST=dir also uploads through an older build (e.g. `dist-before`) in every round, for before/after.
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { api, fmt, processCpu, rssMiB, sampleRss, startServer, TOKEN } from './common.mjs';

const MIB = Number(process.argv[2] ?? process.env.BENCH_MB ?? 200);
const ROUNDS = Math.max(1, Number(process.argv[3] ?? 3));
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
console.log(`CSV: ${rows.toLocaleString()} rows, ${fmt(bytes / 2 ** 20)} MiB, ${ROUNDS} rounds`);

/** The column types a table got, to check both sides parsed the file alike. */
const BASELINE_TYPES = [];

/** Baseline: DuckDB parsing the file into a table of a fresh file database, as the emulator does. */
async function baseline() {
  const dir = mkdtempSync(join(tmpdir(), 'redivis-ingest-base-'));
  const db = await DuckDBInstance.create(join(dir, 'b.duckdb'));
  const conn = await db.connect();
  try {
    const cpu = process.cpuUsage();
    const t = performance.now();
    await conn.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}', header = true, delim = ',')`);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const described = await (await conn.run('DESCRIBE t')).getRowObjectsJS();
    BASELINE_TYPES.splice(0, Infinity, ...described.map((d) => `${d.column_name} ${d.column_type}`));
    return { ms, cpu: (used.user + used.system) / 1000 };
  } finally {
    conn.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An emulator (a child process) with a dataset whose tables the rounds fill, one fresh table per round. */
async function emulator(dist) {
  const server = await startServer(10, undefined, dist);
  await api(server.url, '/users/alice/datasets', { name: 'ingest_bench', publicAccessLevel: 'none' });
  return { server, rss: { transfer: 0, import: 0 } };
}

/** Uploads the file into a new table: transfer (temp upload, one PUT) and import (upload created → completed). */
async function upload(emu, round) {
  const { server } = emu;
  const dsRef = encodeURIComponent('alice.ingest_bench:next');
  await api(server.url, `/datasets/${dsRef}/tables`, { name: `big_${round}` });
  const table = `/tables/${encodeURIComponent(`alice.ingest_bench:next.big_${round}`)}`;
  const rssBefore = rssMiB(server.pid);
  const cpu0 = processCpu(server.pid);
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
  emu.rss.transfer = Math.max(emu.rss.transfer, stopTransferRss() - rssBefore);
  const t1 = performance.now();
  const cpu1 = processCpu(server.pid);
  const stopImportRss = sampleRss(server.pid);
  const created = await api(server.url, `${table}/uploads`, { name: 'data.csv', tempUploadId: temp.id });
  let done;
  for (;;) {
    done = await api(server.url, created.uri);
    if (done.status === 'completed' || done.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const t2 = performance.now();
  const cpu2 = processCpu(server.pid);
  emu.rss.import = Math.max(emu.rss.import, stopImportRss() - rssBefore);
  if (done.status !== 'completed' || done.numRows !== rows)
    throw new Error(`upload: ${JSON.stringify(done)}`);
  const { results: variables } = await api(server.url, `${table}/variables?maxResults=100`);
  const types = variables.map((v) => `${v.name} ${v.type}`).join(', ');
  const spent = (a, b) => b.main + b.others - a.main - a.others;
  return {
    transfer: t1 - t0,
    import: t2 - t1,
    cpu: { transfer: spent(cpu0, cpu1), import: spent(cpu1, cpu2) },
    types,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const builds = [{ label: 'emulator', dist: undefined }];
if (process.env.BENCH_BEFORE_DIST) builds.unshift({ label: 'before', dist: process.env.BENCH_BEFORE_DIST });
const emus = [];
try {
  for (const b of builds) emus.push({ ...b, ...(await emulator(b.dist)), rounds: [] });
  const baselines = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side runs first, so neither always meets the machine right after the other.
    const first = round % 2 === 0;
    if (first) baselines.push(await baseline());
    for (const emu of first ? emus : [...emus].reverse()) emu.rounds.push(await upload(emu, round));
    if (!first) baselines.push(await baseline());
    const base = baselines[round];
    const line = emus.map((e) => {
      const r = e.rounds[round];
      const ratio = base.ms / (r.transfer + r.import);
      return `${e.label} ${fmt(r.transfer)} + ${fmt(r.import)} ms (ratio ${fmt(ratio, 2)}), CPU ${fmt(r.cpu.transfer)} + ${fmt(r.cpu.import)} ms`;
    });
    console.log(
      `round ${round + 1}: baseline ${fmt(base.ms)} ms, CPU ${fmt(base.cpu)} ms; ${line.join('; ')}`,
    );
  }
  const perSec = (ms) => rows / (ms / 1000);
  const baseMs = median(baselines.map((b) => b.ms));
  console.log(`baseline types: ${BASELINE_TYPES.join(', ')}`);
  console.log(
    `baseline: DuckDB read_csv → table, median ${fmt(baseMs)} ms (${fmt(perSec(baseMs) / 1e6, 2)} M rows/s), CPU ${fmt(median(baselines.map((b) => b.cpu)))} ms`,
  );
  const list = (xs) => `${fmt(median(xs), 2)} [${xs.map((x) => fmt(x, 2)).join(' ')}]`;
  for (const e of emus) {
    const { rounds: rs } = e;
    const per = (f) => rs.map((r, i) => f(r, baselines[i]));
    console.log(`${e.label}: variables ${rs[0].types}`);
    console.log(
      `${e.label}: median transfer ${fmt(median(rs.map((r) => r.transfer)))} ms + import ${fmt(median(rs.map((r) => r.import)))} ms; server CPU ${fmt(median(rs.map((r) => r.cpu.transfer)))} + ${fmt(median(rs.map((r) => r.cpu.import)))} ms`,
    );
    console.log(
      `${e.label}: ratio, upload rows/s ÷ baseline rows/s (goal ≥ 0.8), median of rounds ${list(per((r, b) => b.ms / (r.transfer + r.import)))}`,
    );
    console.log(
      `${e.label}: import alone ${list(per((r, b) => b.ms / r.import))}; transfer time ÷ baseline time ${list(per((r, b) => r.transfer / b.ms))}`,
    );
    console.log(
      `${e.label}: CPU, baseline ÷ server (transfer + import) ${list(per((r, b) => b.cpu / (r.cpu.transfer + r.cpu.import)))}; import alone ${list(per((r, b) => b.cpu / r.cpu.import))}`,
    );
    console.log(
      `${e.label}: server RSS peak +${fmt(e.rss.transfer)} MiB while receiving ${fmt(bytes / 2 ** 20)} MiB, +${fmt(e.rss.import)} MiB while importing`,
    );
  }
} finally {
  for (const e of emus) {
    await e.server.stop();
    e.server.remove();
  }
  rmSync(work, { recursive: true, force: true });
}
