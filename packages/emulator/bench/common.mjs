// Shared benchmark helpers: a server child process, its RSS, timing.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const TOKEN = 'rdv_demo_alice_token';
const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Starts the built emulator in a child process on a fresh data dir (or on `existingDir`, whose seed is kept);
 * resolves once it listens. `dist` serves another build directory than BENCH_DIST (or `dist`), for benches that run
 * an older build beside the current one.
 */
export async function startServer(seedRows, existingDir, dist) {
  const dataDir = existingDir ?? mkdtempSync(join(tmpdir(), 'redivis-emulator-bench-'));
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`]
        : []),
      join(here, 'serve.mjs'),
      dataDir,
      String(seedRows),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      ...(dist ? { env: { ...process.env, BENCH_DIST: dist } } : {}),
    },
  );
  const line = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  // Never leave the server running when the benchmark fails.
  process.once('exit', () => child.kill('SIGKILL'));
  const { url } = JSON.parse(line);
  return {
    url,
    pid: child.pid,
    dataDir,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    remove() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** GETs a body with node:http and counts its bytes (rejects on a non-200 status). */
export function countBytes(url) {
  return new Promise((resolve, reject) => {
    get(url, { headers: { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${url}: ${res.statusCode}`));
      let bytes = 0;
      res.on('data', (chunk) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Creates a read session of `streams` streams on `table` and reads every stream at once, counting bytes through
 * node:http (fetch's web-stream body tops out near 100 MB/s here, below the server). Returns the read's wall time,
 * bytes and the session.
 */
export async function readSession(url, table, streams) {
  const session = await api(url, `${table}/readSessions`, { requestedStreamCount: streams, format: 'arrow' });
  const started = performance.now();
  const counts = await Promise.all(session.streams.map((s) => countBytes(`${url}/readStreams/${s.id}`)));
  return { ms: performance.now() - started, bytes: counts.reduce((a, b) => a + b, 0), session };
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU ms (user + system) from a /proc stat file. */
function statCpuMs(path) {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/**
 * CPU ms of a process's main thread (JavaScript, HTTP) and of all its other threads (DuckDB's, libuv's, encoding
 * workers): the process total, which keeps the time of threads that ended, minus the main thread's.
 */
export function processCpu(pid) {
  const main = statCpuMs(`/proc/${pid}/task/${pid}/stat`);
  return { main, others: statCpuMs(`/proc/${pid}/stat`) - main };
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Samples a process's RSS every `ms` until stopped; returns the peak. */
export function sampleRss(pid, ms = 20) {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, ms);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMiB(pid));
  };
}

/** Median duration (ms) of `runs` runs of `fn` after one warm-up. */
export async function median(runs, fn) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** A JSON API call with the bench token. */
export async function api(url, path, json) {
  const res = await fetch(`${url}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.headers.get('content-type')?.startsWith('application/json') ? res.json() : res.text();
}

/** Formats a number with a fixed number of decimals. */
export const fmt = (n, d = 1) => n.toFixed(d);
