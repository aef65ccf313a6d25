// Benchmarks of @redivis-ts/arrow. Build first (`npx -y pnpm@10 build`), then `npx -y pnpm@10 bench` in this
// package. Rows: `--rows N` or BENCH_ROWS (default 1,000,000; `--rows 5000000` for the figure).
// The emulator and the replay server each run in their own process, so the client is measured alone.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listRows, toArrowBatchIterator } from '../dist/index.js';
import { client, median, OBS, perSecond, startChild } from './common.mjs';
import { printThroughput, throughput } from './throughput.mjs';

const { values } = parseArgs({ options: { rows: { type: 'string' }, repeat: { type: 'string' } } });
const ROWS = Number(values.rows ?? process.env.BENCH_ROWS ?? 1_000_000);
const REPEAT = Number(values.repeat ?? 3);
const LIST_ROWS = Math.min(100_000, ROWS);
const MB = 1024 * 1024;
const f = (n) => n.toLocaleString('en');

console.log(`Seeding the emulator (child process) with ${f(ROWS)} daily_observations rows…`);
const emu = await startChild('emulator-server', [ROWS]);
const replay = await startChild('replay-server', [emu.url, 1]);
const results = { rows: ROWS };
try {
  // End to end: the emulator encodes DuckDB chunks to Arrow while we read (8 streams, the default).
  results.emulator = await throughput(client(emu.url), REPEAT, 8);
  printThroughput('Served by the emulator', results.emulator);
  // The client alone: the same session's bytes replayed from memory by a plain node:http server, one stream.
  results.replay = await throughput(client(replay.url), REPEAT, 1);
  printThroughput('Replayed from memory (client-bound)', results.replay);

  const c = client(emu.url);
  const list = await median(REPEAT, async () => (await listRows(c, OBS, { maxResults: LIST_ROWS })).length);
  const batches = await median(REPEAT, async () => {
    let rows = 0;
    for await (const batch of toArrowBatchIterator(c, OBS, { maxResults: LIST_ROWS })) rows += batch.numRows;
    return rows;
  });
  results.listRows = {
    rows: list.result,
    rowsPerSec: perSecond(list.result, list.ms),
    iteratorRowsPerSec: perSecond(batches.result, batches.ms),
    vsIterator: +(batches.ms / list.ms).toFixed(3),
  };
  const l = results.listRows;
  console.log(`\nlistRows of ${f(l.rows)} rows (emulator): ${f(l.rowsPerSec)} rows/s`);
  console.log(
    `  ratio vs toArrowBatchIterator over the same rows (${f(l.iteratorRowsPerSec)} rows/s): ${l.vsIterator}`,
  );

  // Peak RSS while streaming, each size in a fresh process.
  const sizes = [...new Set([Math.min(1_000_000, Math.ceil(ROWS / 4)), Math.min(1_000_000, ROWS), ROWS])];
  results.rss = sizes.map((rows) => {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(new URL('./rss-child.mjs', import.meta.url)), emu.url, String(rows)],
      { encoding: 'utf8' },
    );
    const { rows: seen, baseline, peak } = JSON.parse(out.trim().split('\n').at(-1));
    return {
      rows: seen,
      baselineMB: +(baseline / MB).toFixed(1),
      peakMB: +(peak / MB).toFixed(1),
      aboveBaselineMB: +((peak - baseline) / MB).toFixed(1),
    };
  });
  const growth = results.rss.map((r) => r.aboveBaselineMB);
  results.rssLargestOverSmallestPeak = +(
    Math.max(...results.rss.map((r) => r.peakMB)) / Math.min(...results.rss.map((r) => r.peakMB))
  ).toFixed(3);
  console.log('\nPeak RSS while streaming with toArrowBatchIterator (fresh process per size):');
  for (const r of results.rss) {
    console.log(
      `  ${f(r.rows).padStart(10)} rows: baseline ${r.baselineMB} MB, peak ${r.peakMB} MB (+${r.aboveBaselineMB} MB)`,
    );
  }
  console.log(
    `  largest / smallest peak: ${results.rssLargestOverSmallestPeak} (goal ≤ 1.10); max growth ${Math.max(...growth)} MB (goal < 150)`,
  );
} finally {
  await replay.stop();
  await emu.stop();
}
console.log(`\n${JSON.stringify(results)}`);
