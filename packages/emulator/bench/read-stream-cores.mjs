// Does serving several streams of one read session use every core? Reads a 1M-row session with 1 stream and with 4,
// alternating, BENCH_REPS rounds (bytes counted through node:http), and takes the server's CPU time from /proc: its
// main thread (JavaScript: HTTP and socket writes, DuckDB fetches, Arrow encoding) apart from the other threads
// (DuckDB's scan). From the CPU cost per row follow two ceilings for this machine: every core busy ("sum of the
// cores") and the main thread busy (the most one JavaScript thread can serve). Their ratio says whether the main
// thread is what stands between a multi-stream read and the sum of the cores.
// Usage: node bench/read-stream-cores.mjs (after `pnpm build`; BENCH_ROWS overrides the 1M rows, BENCH_REPS the 5;
// BENCH_DIST=dist-old serves an older build for before/after runs).
import { availableParallelism } from 'node:os';
import { fmt, processCpu, readSession, rssMiB, sampleRss, startServer } from './common.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const TABLE = '/tables/demo.weather_sample.daily_observations';
const CORES = availableParallelism();

console.log(`Seeding ${ROWS} rows and starting the emulator in a child process…`);
const server = await startServer(ROWS);

async function read(streams) {
  const before = processCpu(server.pid);
  const { ms } = await readSession(server.url, TABLE, streams);
  const after = processCpu(server.pid);
  return { ms, main: after.main - before.main, others: after.others - before.others };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs, digits) => `${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)}`;

try {
  await read(1); // warm-up (page cache, JIT)
  const runs = { 1: [], 4: [] };
  for (let i = 0; i < REPS; i++) for (const n of [1, 4]) runs[n].push(await read(n));
  for (const n of [1, 4]) {
    const r = runs[n];
    const rate = r.map((x) => ROWS / x.ms / 1000);
    const main = r.map((x) => (x.main * 1e6) / ROWS);
    const others = r.map((x) => (x.others * 1e6) / ROWS);
    // CPU ms per 1M rows → M rows/s with every core busy, and with the main thread busy.
    const sumOfCores = r.map((_, j) => (CORES * 1000) / (main[j] + others[j]));
    const mainBound = r.map((_, j) => 1000 / main[j]);
    console.log(`${n} stream(s): ${fmt(median(rate), 2)} M rows/s (range ${range(rate, 2)})`);
    console.log(
      `  CPU per 1M rows: main thread ${fmt(median(main), 0)} ms (${range(main, 0)}), other threads ${fmt(median(others), 0)} ms (${range(others, 0)})`,
    );
    console.log(
      `  rate ÷ sum of the ${CORES} cores: ${range(
        r.map((_, j) => rate[j] / sumOfCores[j]),
        2,
      )}; main-thread ceiling ÷ sum of the cores: ${range(
        r.map((_, j) => mainBound[j] / sumOfCores[j]),
        2,
      )}`,
    );
  }
  const per = runs[1].map((one, j) => one.ms / runs[4][j].ms);
  console.log(`4 streams ÷ 1 stream (rows/s): median ${fmt(median(per), 2)}, range ${range(per, 2)}`);
  // Memory in a read of its own: sampling /proc while timing slows the read.
  const idle = rssMiB(server.pid);
  const stop = sampleRss(server.pid);
  const { bytes } = await readSession(server.url, TABLE, 4);
  const peak = stop();
  console.log(
    `server RSS ${fmt(idle)} → ${fmt(peak)} MiB (+${fmt(peak - idle)}) serving ${fmt(bytes / 1e6)} MB over 4 streams`,
  );
} finally {
  await server.stop();
  server.remove();
}
