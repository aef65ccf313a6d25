// CLI benchmarks, ratios against baselines measured in the same run (the machine is shared and noisy):
// 1. `redivis --version` cold start against `node -e 0` (median of alternating runs);
// 2. `redivis read` of 1M rows to CSV and to Parquet against the SDK's own Arrow iteration of the same table
//    (rows/s ratio), and peak RSS at 250k vs 1M rows (flat memory ⇒ ratio ≈ 1).
// Needs a build (`pnpm build`). Usage: node bench/run.mjs [rows=1000000]
// BEFORE_BIN=path/to/an/older/dist/bin.js adds that build's reads to the same run (before/after ratios).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../../packages/emulator/dist/index.js';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const BIN = here('../dist/bin.js');
const RSS = here('./max-rss.mjs');
const ROWS = Number(process.argv[2] ?? 1_000_000);
const TABLE = 'demo.weather_sample.daily_observations';

function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      const rss = Number(/maxRSS=(\d+)/.exec(stderr)?.[1] ?? Number.NaN) / 1024;
      resolve({ ms, rss });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// 1. Cold start.
const node0 = [];
const version = [];
for (let i = 0; i < 9; i++) {
  node0.push((await run(['-e', '0'])).ms);
  version.push((await run([BIN, '--version'])).ms);
}
console.log(
  `cold start: node -e 0 ${median(node0).toFixed(0)} ms, redivis --version ${median(version).toFixed(0)} ms → ` +
    `${(median(version) / median(node0)).toFixed(2)}× (goal < 2×)`,
);

// 2. Reads.
const emu = await startEmulator({ seed: 'demo', seedRows: ROWS, token: 'bench', rateLimit: false });
const dir = await mkdtemp(join(tmpdir(), 'redivis-cli-bench-'));
const env = { REDIVIS_API_ENDPOINT: emu.url, REDIVIS_API_TOKEN: 'bench', REDIVIS_CONFIG_DIR: dir };
try {
  const read = (bin, file) => (n) => [
    '--import',
    RSS,
    bin,
    'read',
    TABLE,
    '-n',
    String(n),
    '--out',
    join(dir, file),
  ];
  const cases = {
    sdk: (n) => ['--import', RSS, here('./sdk-iterate.mjs'), TABLE, String(n)],
    csv: read(BIN, 'out.csv'),
    parquet: read(BIN, 'out.parquet'),
  };
  const before = process.env.BEFORE_BIN;
  if (before) {
    cases['csv (before)'] = read(before, 'b.csv');
    cases['parquet (before)'] = read(before, 'b.parquet');
  }
  const results = {};
  for (const n of [Math.round(ROWS / 4), ROWS]) {
    for (const [name, args] of Object.entries(cases)) results[`${name}@${n}`] = await run(args(n), env);
  }
  const rate = (r) => ROWS / (r.ms / 1000);
  const sdk = results[`sdk@${ROWS}`];
  console.log(
    `read ${ROWS.toLocaleString('en-US')} rows: SDK Arrow iteration ${Math.round(rate(sdk)).toLocaleString('en-US')} rows/s`,
  );
  for (const name of Object.keys(cases).filter((c) => c !== 'sdk')) {
    const full = results[`${name}@${ROWS}`];
    const quarter = results[`${name}@${Math.round(ROWS / 4)}`];
    console.log(
      `  redivis read → ${name}: ${Math.round(rate(full)).toLocaleString('en-US')} rows/s, ` +
        `${(rate(full) / rate(sdk)).toFixed(2)}× the SDK (goal ≥ ${name.startsWith('csv') ? '0.5' : '0.7'}); ` +
        `peak RSS ${quarter.rss.toFixed(0)} MB at ${Math.round(ROWS / 4).toLocaleString('en-US')} rows, ` +
        `${full.rss.toFixed(0)} MB at ${ROWS.toLocaleString('en-US')} (${(full.rss / quarter.rss).toFixed(2)}×)`,
    );
  }
  const sdkQuarter = results[`sdk@${Math.round(ROWS / 4)}`];
  console.log(`  SDK peak RSS ${sdkQuarter.rss.toFixed(0)} MB → ${sdk.rss.toFixed(0)} MB`);
} finally {
  await emu.stop();
  await rm(dir, { recursive: true, force: true });
}
