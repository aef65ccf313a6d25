// rows?format=arrow (what the official JS client reads for results ≤ 1e8 bytes) against a read stream of the same
// table, in the same run: both served by the same Arrow encoder, so the ratio shows what the rows route adds.
// Run after `pnpm build`: `node bench/rows-arrow.mjs` (BENCH_ROWS overrides the 1M rows).
import { countBytes, fmt, readSession, rssMiB, sampleRss, startServer } from './common.mjs';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const TABLE = '/tables/demo.weather_sample.daily_observations';

async function timed(url) {
  const started = performance.now();
  const bytes = await countBytes(url);
  return { ms: performance.now() - started, bytes };
}

const streamRead = () => readSession(server.url, TABLE, 1);
const rowsRead = () => timed(`${server.url}${TABLE}/rows?format=arrow&maxResults=${ROWS}`);

console.log(`Seeding ${ROWS} rows and starting the emulator in a child process…`);
const server = await startServer(ROWS);
try {
  await streamRead();
  await rowsRead(); // warm-up
  const streams = [];
  const rows = [];
  // Interleaved in ABBA order, so both see the same machine load and neither always runs second; medians of six.
  for (let i = 0; i < 3; i++) {
    streams.push(await streamRead());
    rows.push(await rowsRead());
    rows.push(await rowsRead());
    streams.push(await streamRead());
  }
  const med = (xs) => {
    const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
    return (ms[2] + ms[3]) / 2;
  };
  const streamMs = med(streams);
  const rowsMs = med(rows);
  const idle = rssMiB(server.pid);
  const stop = sampleRss(server.pid);
  await rowsRead();
  const peak = stop();
  console.log(`bytes: read stream ${streams[0].bytes}, rows?format=arrow ${rows[0].bytes}`);
  console.log(`read stream: ${fmt(ROWS / streamMs / 1000, 2)} M rows/s (median ${fmt(streamMs)} ms)`);
  console.log(`rows?format=arrow: ${fmt(ROWS / rowsMs / 1000, 2)} M rows/s (median ${fmt(rowsMs)} ms)`);
  console.log(`ratio rows ÷ read stream: ${fmt(streamMs / rowsMs, 2)}`);
  console.log(`server RSS while serving rows: ${fmt(idle)} → ${fmt(peak)} MiB (+${fmt(peak - idle)})`);
} finally {
  await server.stop();
  server.remove();
}
