// Per-request latency of metadata endpoints and a trivial REST query, sequentially (one request at a time), against
// the built emulator in a child process. Each request is paired with a baseline request sent right before it: a
// request that touches neither authentication nor DuckDB (a 404 page on the site origin). Prints the median time and
// the median of the paired ratios (request ÷ the no-op before it), which the shared machine's load drift moves
// least. BENCH_BEFORE=<build dir> (e.g. node_modules/.before) also runs that build in a second child process and
// alternates with it request by request: before/after ratios from the same run.
// Usage: node bench/requests.mjs [requestsPerEndpoint=100]   (after `pnpm build`)
import { startServer } from './common.mjs';

const N = Number(process.argv[2] ?? 100);
const AUTH = { Authorization: 'Bearer rdv_demo_admin_token' };
const servers = [['current', await startServer(1000)]];
if (process.env.BENCH_BEFORE) {
  servers.push(['before', await startServer(1000, undefined, process.env.BENCH_BEFORE)]);
}

const get = (path) => async (url) => {
  const res = await fetch(path.startsWith('/') ? `${new URL(url).origin}${path}` : `${url}/${path}`, {
    headers: AUTH,
  });
  await res.arrayBuffer();
  if (res.status >= 500) throw new Error(`${path}: ${res.status}`);
};

async function querySelect1(url) {
  const res = await fetch(`${url}/queries`, {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: 'SELECT 1 AS one' }),
  });
  const query = await res.json();
  if (query.status !== 'completed') throw new Error(`query ${query.status}: ${query.errorMessage}`);
  const rows = await fetch(`${url}/queries/${query.id}/rows`, { headers: AUTH });
  if ((await rows.text()).trim() !== '["1"]') throw new Error('unexpected query output');
}

const noop = get('/no-such-page');
const cases = [
  ['GET /users/me', get('users/me')],
  ['GET /organizations/demo/datasets', get('organizations/demo/datasets')],
  ['GET /datasets/demo.iris_species', get('datasets/demo.iris_species')],
  ['GET /tables/demo.iris_species.iris', get('tables/demo.iris_species.iris')],
  ['GET /tables/…iris/variables', get('tables/demo.iris_species.iris/variables')],
  ['GET /tables/…iris/variables/species', get('tables/demo.iris_species.iris/variables/species')],
  ['GET /datasets/demo.iris_species/versions', get('datasets/demo.iris_species/versions')],
  ['REST query SELECT 1 (POST /queries + GET rows)', querySelect1],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const timed = async (fn, url) => {
  const t = performance.now();
  await fn(url);
  return performance.now() - t;
};

try {
  console.log(
    `${N} sequential requests per endpoint (queries: ${Math.ceil(N / 4)}), each after a no-op request`,
  );
  const noops = Object.fromEntries(servers.map(([name]) => [name, []]));
  for (const [label, fn] of cases) {
    const n = label.startsWith('REST') ? Math.ceil(N / 4) : N;
    const results = Object.fromEntries(servers.map(([name]) => [name, { ms: [], ratio: [] }]));
    for (const [, server] of servers) for (let i = 0; i < Math.min(10, n); i++) await fn(server.url); // warm up
    for (let i = 0; i < n; i++) {
      for (const [name, server] of servers) {
        const base = await timed(noop, server.url);
        const ms = await timed(fn, server.url);
        noops[name].push(base);
        results[name].ms.push(ms);
        results[name].ratio.push(ms / base);
      }
    }
    const cells = servers.map(([name]) => {
      const r = results[name];
      return `${name} ${median(r.ms).toFixed(2).padStart(7)} ms ${median(r.ratio).toFixed(1).padStart(5)}× no-op`;
    });
    console.log(`${label.padEnd(48)} ${cells.join('   ')}`);
  }
  const cells = servers.map(([name]) => `${name} ${median(noops[name]).toFixed(2).padStart(7)} ms`);
  console.log(`${'baseline: site 404 (no auth, no DuckDB)'.padEnd(48)} ${cells.join('   ')}`);
} finally {
  for (const [, server] of servers) {
    await server.stop();
    server.remove();
  }
}
