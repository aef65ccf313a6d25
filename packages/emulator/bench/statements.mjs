// DuckDB round trips per request: runs the built emulator in this process with DuckDB's connection and prepared-statement
// methods wrapped, then prints, per route, how many calls one request made once warm (its third run) and how long
// each took. Counts, unlike times, do not depend on the machine's load. `BENCH_DIST=node_modules/.before` counts an
// older build. `-v` lists each call.
// Usage: node bench/statements.mjs [-v] [rows=1000]   (after `pnpm build`; the GROUP BY is bench/query.mjs's)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DuckDBConnection,
  DuckDBExtractedStatements,
  DuckDBInstance,
  DuckDBPreparedStatement,
  DuckDBResult,
} from '@duckdb/node-api';

const verbose = process.argv.includes('-v');
const rows = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1000);
let calls = [];
let start = 0;
// Each method wrapped here makes one call into DuckDB's native bindings that runs on libuv's thread pool: a round
// trip (a statement with parameters is several: extract, prepare, execute, then a fetch per chunk read). Each is
// recorded with the SQL its connection or prepared statement last carried.
let currentSql = '';
const count = (proto, name, sqlOf) => {
  const original = proto[name];
  proto[name] = function (...args) {
    const t = performance.now();
    const sql = sqlOf ? sqlOf(this, args) : currentSql;
    return original.apply(this, args).finally(() => {
      calls.push({ at: t - start, ms: performance.now() - t, what: `${name} ${sql}` });
    });
  };
};
const track = (proto, name) => {
  const original = proto[name];
  proto[name] = function (sql, ...rest) {
    currentSql = sql;
    return original.call(this, sql, ...rest);
  };
};
const conn = DuckDBConnection.prototype;
count(conn, 'createPrepared', (_, [sql]) => sql);
count(conn, 'extractStatements', (_, [sql]) => sql);
count(conn, 'createAppender', (_, [table]) => table);
const run = conn.run;
// `run` without parameters is one native query; with them it prepares and executes (counted there).
conn.run = function (sql, values, ...rest) {
  currentSql = sql;
  if (values) return run.call(this, sql, values, ...rest);
  const t = performance.now();
  return run.call(this, sql, values, ...rest).finally(() => {
    calls.push({ at: t - start, ms: performance.now() - t, what: `query ${sql}` });
  });
};
for (const name of ['stream', 'runAndReadAll', 'prepare']) track(conn, name);
count(DuckDBExtractedStatements.prototype, 'prepare');
count(DuckDBPreparedStatement.prototype, 'run', (p) => p.benchSql ?? currentSql);
count(DuckDBPreparedStatement.prototype, 'stream', (p) => p.benchSql ?? currentSql);
count(DuckDBResult.prototype, 'fetchChunk');
count(DuckDBInstance.prototype, 'connect', () => '');
const prepare = conn.prepare;
conn.prepare = async function (sql) {
  const statement = await prepare.call(this, sql);
  statement.benchSql = sql;
  return statement;
};

const { startEmulator } = await import(`../${process.env.BENCH_DIST ?? 'dist'}/index.js`);
const dataDir = mkdtempSync(join(tmpdir(), 'redivis-emulator-statements-'));
const emu = await startEmulator({ dataDir, seed: 'demo', seedRows: rows, rateLimit: false });
const headers = { Authorization: 'Bearer rdv_demo_admin_token', 'Content-Type': 'application/json' };
const get = (path) => () => fetch(`${emu.url}/${path}`, { headers }).then((r) => r.text());
const query = (sql) => async () => {
  const res = await fetch(`${emu.url}/queries`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: sql }),
  });
  const q = await res.json();
  if (q.status !== 'completed') throw new Error(`${q.status}: ${q.errorMessage}`);
  await fetch(`${emu.url}/queries/${q.id}/rows`, { headers }).then((r) => r.text());
};
const cases = [
  ['GET /users/me', get('users/me')],
  ['GET /organizations/demo/datasets', get('organizations/demo/datasets')],
  ['GET /datasets/demo.iris_species', get('datasets/demo.iris_species')],
  ['GET /tables/demo.iris_species.iris', get('tables/demo.iris_species.iris')],
  ['GET /tables/…iris/variables', get('tables/demo.iris_species.iris/variables')],
  ['query SELECT 1 (POST + GET rows)', query('SELECT 1 AS one')],
  [
    'query GROUP BY (POST + GET rows)',
    query(`SELECT station_id, element, COUNT(*) AS n, AVG(value) AS mean, MAX(observed_at) AS last_seen
      FROM demo.weather_sample.daily_observations GROUP BY station_id, element ORDER BY station_id, element`),
  ],
];
try {
  for (const [name, fn] of cases) {
    await fn();
    await fn();
    calls = [];
    start = performance.now();
    await fn();
    const ms = performance.now() - start;
    // Work the request started but did not wait for (emptying the sandbox, closing a connection) is not its cost.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = calls.filter((c) => c.at <= ms);
    console.log(
      `${name.padEnd(36)} ${String(during.length).padStart(3)} DuckDB round trips  ${ms.toFixed(1)} ms`,
    );
    if (verbose) {
      for (const c of during) {
        const text = c.what.replace(/\s+/g, ' ').slice(0, 110);
        console.log(`  ${c.at.toFixed(1).padStart(7)} +${c.ms.toFixed(1).padStart(6)} ${text}`);
      }
    }
  }
} finally {
  await emu.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
