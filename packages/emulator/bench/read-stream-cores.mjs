// Does serving several streams of one read session use both cores? Reads a 1M-row session with 1 stream and with 4
// streams (alternating, median of 3 each, bytes counted through node:http) and samples the server's CPU time from
// /proc: the main thread (JavaScript: Arrow encoding and HTTP) apart from the other threads (DuckDB's scan).
// Usage: node bench/read-stream-cores.mjs (after `pnpm build`; BENCH_ROWS overrides the 1M rows).
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { api, fmt, startServer, TOKEN } from './common.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const TABLE = '/tables/demo.weather_sample.daily_observations';
const TICK_MS = 10; // USER_HZ = 100 on Linux

console.log(`Seeding ${ROWS} rows and starting the emulator in a child process…`);
const server = await startServer(ROWS);

/** CPU ms of one thread of the server: utime + stime from /proc/PID/task/TID/stat. */
function threadCpuMs(tid) {
  const stat = readFileSync(`/proc/${server.pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** CPU ms of the main thread and of all other threads. */
function cpu() {
  let others = 0;
  for (const tid of readdirSync(`/proc/${server.pid}/task`)) {
    if (Number(tid) !== server.pid) others += threadCpuMs(tid);
  }
  return { main: threadCpuMs(server.pid), others };
}

function countBytes(url) {
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

async function read(streams) {
  const session = await api(server.url, `${TABLE}/readSessions`, {
    requestedStreamCount: streams,
    format: 'arrow',
  });
  const before = cpu();
  const started = performance.now();
  await Promise.all(session.streams.map((s) => countBytes(`${server.url}/readStreams/${s.id}`)));
  const ms = performance.now() - started;
  const after = cpu();
  return { ms, main: after.main - before.main, others: after.others - before.others };
}

try {
  await read(1); // warm-up
  const runs = { 1: [], 4: [] };
  for (let i = 0; i < 3; i++) for (const n of [1, 4]) runs[n].push(await read(n));
  const median = (rs) => rs.sort((a, b) => a.ms - b.ms)[1];
  const one = median(runs[1]);
  const four = median(runs[4]);
  for (const [n, r] of [
    [1, one],
    [4, four],
  ]) {
    console.log(
      `${n} stream(s): ${fmt(ROWS / r.ms / 1000, 2)} M rows/s; server main thread busy ${fmt((100 * r.main) / r.ms, 0)}% of the read, other threads ${fmt((100 * r.others) / r.ms, 0)}% (of one core)`,
    );
  }
  console.log(`4 streams ÷ 1 stream (rows/s): ${fmt(one.ms / four.ms, 2)}`);
  console.log(
    `server CPU per 1M rows, main thread: 1 stream ${fmt((one.main * 1e6) / ROWS, 0)} ms, 4 streams ${fmt((four.main * 1e6) / ROWS, 0)} ms`,
  );
} finally {
  await server.stop();
  server.remove();
}
