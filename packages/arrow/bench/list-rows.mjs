// listRows against the official `redivis` npm client (0.3.10, a devDependency of this bench only) on the same
// emulator table, in one run: rows/s and peak RSS over each process's baseline, every reader in a fresh process.
// Also the streaming row iterator's peak RSS at two sizes (flat memory) and toArrowBatchIterator as the transport's
// reference. Build first (`npx -y pnpm@10 build`), then `node bench/list-rows.mjs [--rows 2000000]`.
// `--repeat N` runs every reader N times (interleaved) and reports medians; `BEFORE_DIST=<copy of an earlier dist>`
// with readers like `objects@before` compares builds in the same run. The client's CPU time is reported beside the
// wall time: on a shared machine it varies less.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startChild } from './common.mjs';

const { values } = parseArgs({
  options: { rows: { type: 'string' }, readers: { type: 'string' }, repeat: { type: 'string' } },
});
const ROWS = Number(values.rows ?? process.env.BENCH_ROWS ?? 2_000_000);
const READERS = (values.readers ?? 'official,objects,arrays,stream,batches').split(',');
const REPEAT = Number(values.repeat ?? 1);
const MB = 1024 * 1024;
const f = (n) => Math.round(n).toLocaleString('en');

console.log(`Seeding the emulator (child process) with ${f(ROWS)} daily_observations rows…`);
const emu = await startChild('emulator-server', [ROWS]);

/** The emulator's CPU time so far in ms (Linux /proc; `NaN` elsewhere), assuming 100 clock ticks a second. */
function emulatorCpuMs() {
  try {
    const fields = readFileSync(`/proc/${emu.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** One read in a fresh process. */
function run(reader, rows) {
  const emuBefore = emulatorCpuMs();
  const out = execFileSync(
    process.execPath,
    [fileURLToPath(new URL('./list-rows-child.mjs', import.meta.url)), emu.url, reader, String(rows)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  const r = JSON.parse(out.trim().split('\n').at(-1));
  if (r.rows !== rows) throw new Error(`${reader} read ${r.rows} rows, expected ${rows}`);
  const emuCpuMs = emulatorCpuMs() - emuBefore;
  return { ...r, emuCpuMs, rowsPerSec: (r.rows / r.ms) * 1000, overMB: (r.peak - r.baseline) / MB };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** The median of each figure over the runs of one reader. */
function medians(runs) {
  const pick = (k) => median(runs.map((r) => r[k]));
  return {
    ...runs[0],
    ms: pick('ms'),
    cpuMs: pick('cpuMs'),
    rowsPerSec: pick('rowsPerSec'),
    overMB: pick('overMB'),
  };
}

const runs = Object.fromEntries(READERS.map((reader) => [reader, []]));
const results = {};
try {
  for (let round = 0; round < REPEAT; round++) {
    for (const reader of READERS) {
      const r = run(reader, ROWS);
      runs[reader].push(r);
      console.log(
        `${reader.padEnd(15)} ${f(r.rows)} rows in ${(r.ms / 1000).toFixed(2)} s (CPU: client ${(r.cpuMs / 1000).toFixed(2)} s, emulator ${(r.emuCpuMs / 1000).toFixed(2)} s): ${f(r.rowsPerSec)} rows/s, peak RSS +${r.overMB.toFixed(0)} MB over baseline`,
      );
    }
  }
  for (const reader of READERS) results[reader] = medians(runs[reader]);
  if (READERS.includes('stream')) results.streamHalf = run('stream', Math.ceil(ROWS / 2));
} finally {
  await emu.stop();
}

const official = results.official;
console.log(`\nRatios (same run${REPEAT > 1 ? `, medians of ${REPEAT}` : ''})`);
for (const reader of READERS.filter((r) => r !== 'official')) {
  const r = results[reader];
  if (!r || !official) continue;
  console.log(
    `  ${reader.padEnd(14)} throughput ÷ official: ${(r.rowsPerSec / official.rowsPerSec).toFixed(2)} (goal ≥ 5); client CPU: official ÷ this ${(official.cpuMs / r.cpuMs).toFixed(2)}; peak RSS over baseline ÷ official: ${(r.overMB / official.overMB).toFixed(2)} (goal ≤ 0.5)`,
  );
}
if (results.batches) {
  for (const reader of READERS.filter((r) => r !== 'batches' && r !== 'official')) {
    const r = results[reader];
    console.log(
      `  ${reader.padEnd(14)} throughput ÷ toArrowBatchIterator: ${(r.rowsPerSec / results.batches.rowsPerSec).toFixed(2)}`,
    );
  }
}
if (results.streamHalf) {
  const [half, full] = [results.streamHalf, results.stream];
  console.log(
    `  toRowIterator peak RSS: ${f(half.rows)} rows +${half.overMB.toFixed(0)} MB, ${f(full.rows)} rows +${full.overMB.toFixed(0)} MB (ratio ${(full.overMB / half.overMB).toFixed(2)}, flat = 1)`,
  );
}
console.log(`\n${JSON.stringify({ rows: ROWS, results })}`);
