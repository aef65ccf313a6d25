// Metadata latency under load: 50 concurrent clients (by default) run a mixed workload of metadata reads and some
// writes against the built emulator in a child process, with 85 extra datasets in the demo organization (89 in all).
// Prints p50/p99 per request class next to a baseline measured in the same run at the same concurrency: a site 404,
// which touches neither authentication nor DuckDB.
// Usage: node bench/load.mjs [clients=50] [seconds=15]   (after `pnpm build`)
import { fmt, startServer } from './common.mjs';

const CLIENTS = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 15);
const EXTRA_DATASETS = 85;
const AUTH = { Authorization: 'Bearer rdv_demo_admin_token' };
const server = await startServer(1000);
const origin = new URL(server.url).origin;

async function send(method, path, body) {
  const url = path.startsWith('/') ? `${origin}${path}` : `${server.url}/${path}`;
  const res = await fetch(url, {
    method,
    headers: body === undefined ? AUTH : { ...AUTH, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.arrayBuffer();
  if (res.status >= 500) throw new Error(`${method} ${path}: ${res.status}`);
  return res.status;
}

const READS = [
  ['list datasets ?maxResults=10', () => send('GET', 'organizations/demo/datasets?maxResults=10')],
  [
    'list datasets (page 3)',
    () => send('GET', 'organizations/demo/datasets?maxResults=10&pageToken=eyJvIjoyMH0'),
  ],
  ['get dataset', () => send('GET', 'datasets/demo.iris_species')],
  ['get table', () => send('GET', 'tables/demo.iris_species.iris')],
  ['list variables', () => send('GET', 'tables/demo.iris_species.iris/variables')],
  ['get variable', () => send('GET', 'tables/demo.weather_sample.stations/variables/elevation')],
  ['list versions', () => send('GET', 'datasets/demo.versioned_dataset/versions')],
  ['list tables', () => send('GET', 'datasets/demo.weather_sample/tables')],
  ['get user', () => send('GET', 'users/me')],
];
let writes = 0;
const WRITES = [
  [
    'patch dataset (write)',
    () => send('PATCH', `datasets/demo.bench_${writes++ % EXTRA_DATASETS}`, { description: `d${writes}` }),
  ],
  [
    'create + delete dataset (write)',
    async () => {
      const name = `bench_tmp_${writes++}`;
      await send('POST', 'organizations/demo/datasets', { name });
      await send('DELETE', `datasets/demo.${name}`);
    },
  ],
];
const BASELINE = ['baseline: site 404', () => send('GET', '/no-such-page')];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `CLIENTS` loops for `seconds`, each picking a case with `pick()`; returns latencies per case name. */
async function phase(seconds, pick) {
  const samples = new Map();
  const end = performance.now() + seconds * 1000;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const [name, fn] = pick();
        const t = performance.now();
        try {
          await fn();
        } catch (e) {
          failures++;
          if (failures < 5) console.error(String(e));
          continue;
        }
        const list = samples.get(name) ?? [];
        list.push(performance.now() - t);
        samples.set(name, list);
      }
    }),
  );
  return samples;
}

try {
  for (let i = 0; i < EXTRA_DATASETS; i++) {
    await send('POST', 'organizations/demo/datasets', { name: `bench_${i}`, publicAccessLevel: 'overview' });
  }
  // Warm up (JIT, prepared statements), then the baseline and the mixed workload, each at the same concurrency.
  await phase(2, () => READS[Math.floor(Math.random() * READS.length)]);
  const base = (await phase(Math.max(3, SECONDS / 3), () => BASELINE)).get(BASELINE[0]).sort((a, b) => a - b);
  const mixed = await phase(SECONDS, () =>
    Math.random() < 0.1
      ? WRITES[Math.floor(Math.random() * WRITES.length)]
      : READS[Math.floor(Math.random() * READS.length)],
  );
  const b50 = percentile(base, 50);
  const b99 = percentile(base, 99);
  console.log(`${CLIENTS} concurrent clients, ${SECONDS} s mixed (90% reads, 10% writes), 89 datasets`);
  const row = (name, n, p50, p99) =>
    console.log(
      `${name.padEnd(34)} n=${String(n).padStart(6)}  p50 ${fmt(p50).padStart(7)} ms (${fmt(p50 / b50).padStart(5)}×)  p99 ${fmt(p99).padStart(7)} ms (${fmt(p99 / b99).padStart(5)}×)`,
    );
  row(BASELINE[0], base.length, b50, b99);
  const allReads = [];
  for (const [name] of [...READS, ...WRITES]) {
    const list = (mixed.get(name) ?? []).sort((a, b) => a - b);
    if (!list.length) continue;
    if (!name.includes('(write)')) allReads.push(...list);
    row(name, list.length, percentile(list, 50), percentile(list, 99));
  }
  allReads.sort((a, b) => a - b);
  row('all metadata reads', allReads.length, percentile(allReads, 50), percentile(allReads, 99));
  const total = [...mixed.values()].reduce((n, l) => n + l.length, 0);
  console.log(
    `throughput: ${fmt(total / SECONDS)} requests/s (baseline ${fmt(base.length / Math.max(3, SECONDS / 3))}/s)`,
  );
} finally {
  await server.stop();
  server.remove();
}
