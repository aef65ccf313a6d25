// Per-request latency of metadata endpoints and a trivial REST query, sequentially (one request at a time), against
// the built emulator in a child process. Each figure is printed next to a baseline measured in the same run: a
// request that touches neither authentication nor DuckDB (a 404 page on the site origin).
// Usage: node bench/requests.mjs [requestsPerEndpoint=100]   (after `pnpm build`)
import { startServer } from './common.mjs';

const N = Number(process.argv[2] ?? 100);
const AUTH = { Authorization: 'Bearer rdv_demo_admin_token' };
const server = await startServer(1000);
const origin = new URL(server.url).origin;

const get = (path) => async () => {
  const res = await fetch(path.startsWith('/') ? `${origin}${path}` : `${server.url}/${path}`, {
    headers: AUTH,
  });
  await res.arrayBuffer();
  if (res.status >= 500) throw new Error(`${path}: ${res.status}`);
};

async function querySelect1() {
  const res = await fetch(`${server.url}/queries`, {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: 'SELECT 1 AS one' }),
  });
  const query = await res.json();
  if (query.status !== 'completed') throw new Error(`query ${query.status}: ${query.errorMessage}`);
  const rows = await fetch(`${server.url}/queries/${query.id}/rows`, { headers: AUTH });
  if ((await rows.text()).trim() !== '["1"]') throw new Error('unexpected query output');
}

const cases = [
  ['baseline: site 404 (no auth, no DuckDB)', get('/no-such-page')],
  ['GET /users/me', get('users/me')],
  ['GET /organizations/demo/datasets', get('organizations/demo/datasets')],
  ['GET /datasets/demo.iris_species', get('datasets/demo.iris_species')],
  ['GET /tables/demo.iris_species.iris', get('tables/demo.iris_species.iris')],
  ['GET /tables/…iris/variables', get('tables/demo.iris_species.iris/variables')],
  ['REST query SELECT 1 (POST /queries + GET rows)', querySelect1],
];

async function measure(fn, n) {
  for (let i = 0; i < Math.min(10, n); i++) await fn(); // warm up (JIT, DuckDB caches)
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / n;
}

try {
  const results = [];
  for (const [name, fn] of cases)
    results.push([name, await measure(fn, name.startsWith('REST') ? Math.ceil(N / 4) : N)]);
  const baseline = results[0][1];
  console.log(`${N} sequential requests per endpoint (queries: ${Math.ceil(N / 4)})`);
  for (const [name, ms] of results) {
    console.log(
      `${name.padEnd(50)} ${ms.toFixed(2).padStart(8)} ms/request  ${(ms / baseline).toFixed(1).padStart(6)}× baseline`,
    );
  }
} finally {
  await server.stop();
  server.remove();
}
