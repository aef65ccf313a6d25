// REST query round trip (POST /queries + GET rows) against the same SQL run directly in DuckDB, interleaved in one
// run (the shared machine's load moves absolute times by 2–5× within minutes; alternating keeps both sides under the
// same load): a small GROUP BY over the observations table and a trivial `SELECT 1`, plus a no-op request (site 404)
// as the HTTP floor. The direct side runs in this process on a copy of the server's database file, made after
// seeding. Prints medians and ratios.
// Usage: node bench/query.mjs [rows=100000] [runs=8]   (after `pnpm build`; BENCH_SERVER_PROF=DIR profiles the server)
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { api, fmt, startServer } from './common.mjs';

const ROWS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 8);
const QUERY = `SELECT station_id, element, COUNT(*) AS n, AVG(value) AS mean, MAX(observed_at) AS last_seen
  FROM demo.weather_sample.daily_observations GROUP BY station_id, element ORDER BY station_id, element`;

// Seed, then copy the database file for the direct side before serving from it.
const seeded = await startServer(ROWS);
await seeded.stop();
const copy = join(seeded.dataDir, 'baseline.duckdb');
copyFileSync(join(seeded.dataDir, 'redivis.duckdb'), copy);
const server = await startServer(ROWS, seeded.dataDir);

const instance = await DuckDBInstance.create(copy);
const conn = await instance.connect();
const storage = (
  await conn.runAndReadAll(
    "SELECT storage FROM tables WHERE name = 'daily_observations' AND NOT is_sample ORDER BY created_at LIMIT 1",
  )
).getRowsJS()[0][0];
const direct = QUERY.replace('demo.weather_sample.daily_observations', `tabledata."${storage}"`);

/** POST /queries then GET its rows; records the GET's share under `${name}Rows`. */
const rest = async (sql, name) => {
  const q = await api(server.url, '/queries', { query: sql, timeoutMs: 60_000 });
  if (q.status !== 'completed') throw new Error(q.errorMessage);
  const t = performance.now();
  await api(server.url, `/queries/${q.id}/rows`);
  if (name) times[`${name}Rows`].push(performance.now() - t);
};
const cases = {
  noop: () => fetch(`${server.url}/no-such-page`).then((r) => r.text()),
  restGroup: () => rest(QUERY, 'restGroup'),
  directGroup: () => conn.runAndReadAll(direct),
  restOne: () => rest('SELECT 1 AS one', 'restOne'),
  directOne: () => conn.runAndReadAll('SELECT 1 AS one'),
};
const times = Object.fromEntries([...Object.keys(cases), 'restGroupRows', 'restOneRows'].map((k) => [k, []]));
// The first query of a table copies it into the sandbox; later ones reuse the copy (released version).
const cold = performance.now();
await cases.restGroup();
const coldMs = performance.now() - cold;
for (let i = 0; i < RUNS; i++) {
  for (const [name, fn] of Object.entries(cases)) {
    const t = performance.now();
    await fn();
    times[name].push(performance.now() - t);
  }
}
await server.stop();
conn.closeSync();
instance.closeSync();
server.remove();

const med = (name) => {
  const sorted = [...times[name]].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const r = Object.fromEntries(Object.keys(times).map((k) => [k, med(k)]));
console.log(`rows ${ROWS}, median of ${RUNS} interleaved runs`);
console.log(`no-op request (site 404)       ${fmt(r.noop)} ms`);
console.log(
  `GROUP BY via REST              ${fmt(r.restGroup)} ms; directly ${fmt(r.directGroup)} ms; ratio ${fmt(r.restGroup / r.directGroup, 2)} (GET rows ${fmt(r.restGroupRows)} ms)`,
);
console.log(`GROUP BY via REST, first (cold) ${fmt(coldMs)} ms (copies the table into the sandbox)`);
console.log(
  `SELECT 1 via REST              ${fmt(r.restOne)} ms; directly ${fmt(r.directOne)} ms; ÷ no-op request ${fmt(r.restOne / r.noop, 2)} (GET rows ${fmt(r.restOneRows)} ms)`,
);
