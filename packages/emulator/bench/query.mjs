// REST query round trip (POST /queries + GET rows) against the same SQL run directly in DuckDB, interleaved in one
// run (the shared machine's load moves absolute times by 2–5× within minutes; alternating keeps both sides under the
// same load): a small GROUP BY over the observations table and a trivial `SELECT 1`, plus a no-op request (site 404)
// as the HTTP floor. The direct side runs in this process on a copy of the server's database file, made after
// seeding. Prints medians, and the median of the ratios of adjacent pairs (each REST round trip ÷ the direct run
// right after it), which the load's drift moves least, and each server's CPU per round (main thread, other threads).
// BENCH_BEFORE=<build dir> (e.g. node_modules/.before, relative to the package) also serves that build (on its own
// seed) and alternates its round trips with the current build's: before/after in the same run.
// Usage: node bench/query.mjs [rows=100000] [runs=8]   (after `pnpm build`; BENCH_SERVER_PROF=DIR profiles the server)
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { api, fmt, processCpu, startServer } from './common.mjs';

const ROWS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 8);
const BEFORE = process.env.BENCH_BEFORE;
const QUERY = `SELECT station_id, element, COUNT(*) AS n, AVG(value) AS mean, MAX(observed_at) AS last_seen
  FROM demo.weather_sample.daily_observations GROUP BY station_id, element ORDER BY station_id, element`;

// Seed, then copy the database file for the direct side (and the data dir for the older build) before serving.
const seeded = await startServer(ROWS);
await seeded.stop();
const copy = join(seeded.dataDir, 'baseline.duckdb');
copyFileSync(join(seeded.dataDir, 'redivis.duckdb'), copy);
// A stop that could not checkpoint in time (a loaded machine) leaves the seed in the write-ahead log: copy it too.
if (existsSync(join(seeded.dataDir, 'redivis.duckdb.wal'))) {
  copyFileSync(join(seeded.dataDir, 'redivis.duckdb.wal'), `${copy}.wal`);
}
const server = await startServer(ROWS, seeded.dataDir);
// The older build seeds its own data dir (the same deterministic seed): its schema may predate this one's.
const before = BEFORE ? await startServer(ROWS, undefined, BEFORE) : undefined;

const instance = await DuckDBInstance.create(copy);
const conn = await instance.connect();
const storage = (
  await conn.runAndReadAll(
    "SELECT storage FROM tables WHERE name = 'daily_observations' AND NOT is_sample ORDER BY created_at LIMIT 1",
  )
).getRowsJS()[0][0];
const direct = QUERY.replace('demo.weather_sample.daily_observations', `tabledata."${storage}"`);

/** POST /queries then GET its rows. */
const rest = async (url, sql) => {
  const q = await api(url, '/queries', { query: sql, timeoutMs: 60_000 });
  if (q.status !== 'completed') throw new Error(q.errorMessage);
  await api(url, `/queries/${q.id}/rows`);
};
const cases = {
  noop: () => fetch(`${server.url}/no-such-page`).then((r) => r.text()),
  restGroup: () => rest(server.url, QUERY),
  directGroup: () => conn.runAndReadAll(direct),
  restOne: () => rest(server.url, 'SELECT 1 AS one'),
  directOne: () => conn.runAndReadAll('SELECT 1 AS one'),
};
if (before) {
  cases.beforeGroup = () => rest(before.url, QUERY);
  cases.directGroup2 = cases.directGroup;
  cases.beforeOne = () => rest(before.url, 'SELECT 1 AS one');
  cases.noop2 = cases.noop;
}
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
// The first query of a table copies it into the sandbox; later ones reuse the copy (released version).
const cold = performance.now();
await cases.restGroup();
const coldMs = performance.now() - cold;
if (before) await cases.beforeGroup();
// Server CPU over the loop (main thread, other threads): what each build spends, whatever the machine's load.
const cpuOf = (s) => (s ? processCpu(s.pid) : undefined);
const cpuStart = { after: cpuOf(server), before: cpuOf(before) };
for (let i = 0; i < RUNS; i++) {
  for (const [name, fn] of Object.entries(cases)) {
    const t = performance.now();
    await fn();
    times[name].push(performance.now() - t);
  }
}
const cpuEnd = { after: cpuOf(server), before: cpuOf(before) };
await server.stop();
await before?.stop();
conn.closeSync();
instance.closeSync();
server.remove();
before?.remove();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const med = (name) => median(times[name]);
/** Median over runs of `a` ÷ `b` measured next to each other. */
const paired = (a, b) => median(times[a].map((t, i) => t / times[b][i]));
console.log(`rows ${ROWS}, median of ${RUNS} interleaved runs`);
console.log(`no-op request (site 404)        ${fmt(med('noop'))} ms`);
console.log(`GROUP BY directly in DuckDB     ${fmt(med('directGroup'))} ms`);
const report = (label, group, one, directGroup, noop) => {
  console.log(
    `${label} GROUP BY via REST ${fmt(med(group))} ms; ÷ directly (paired) ${fmt(paired(group, directGroup), 2)}, ratio of medians ${fmt(med(group) / med(directGroup), 2)}`,
  );
  console.log(
    `${label} SELECT 1 via REST ${fmt(med(one))} ms; ÷ no-op request (paired) ${fmt(paired(one, noop), 2)}`,
  );
};
report(BEFORE ? 'after: ' : '', 'restGroup', 'restOne', 'directGroup', 'noop');
if (before) report('before:', 'beforeGroup', 'beforeOne', 'directGroup2', 'noop2');
for (const side of before ? ['after', 'before'] : ['after']) {
  const main = (cpuEnd[side].main - cpuStart[side].main) / RUNS;
  const others = (cpuEnd[side].others - cpuStart[side].others) / RUNS;
  console.log(
    `${side}: server CPU per round (GROUP BY + SELECT 1 + no-op) ${fmt(main)} ms main thread + ${fmt(others)} ms other threads`,
  );
}
if (process.env.BENCH_VERBOSE) {
  for (const [name, values] of Object.entries(times))
    console.log(name.padEnd(13), values.map((t) => fmt(t, 0)).join(' '));
}
console.log(`GROUP BY via REST, first (cold) ${fmt(coldMs)} ms (copies the table into the sandbox)`);
