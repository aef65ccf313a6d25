// toArrowDataset memory and speed, every figure against a baseline measured in the same run on the same emulator
// (a child process, so this process's RSS is the client's alone):
//  - memory: the peak RSS growth while writing the table to disk (Arrow files, then Parquet) against the growth of
//    toArrowTable() holding the same rows in memory (goal: flat, i.e. a small fraction, independent of row count);
//  - speed: rows/s of toArrowDataset against draining toArrowBatchIterator() without writing anything.
// Usage (after `pnpm build`): node --expose-gc packages/node/bench/arrow-dataset.mjs [rows]   (default 400,000)
// BENCH_FORMATS=arrow,parquet,csv (the default) chooses the outputs: one per run keeps a run at millions of rows
// short, and its figure free of the heap an earlier output grew (RSS does not shrink once V8 has grown its heap).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from '@redivis-ts/core';
import { toArrowDataset } from '@redivis-ts/node';
import { createRedivis } from '@redivis-ts/resources';
import { startServer, TOKEN } from '../../emulator/bench/common.mjs';

const ROWS = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 400_000);
const FORMATS = (process.env.BENCH_FORMATS ?? 'arrow,parquet,csv').split(',');
// Files as the defaults cut them, except Arrow's 1,000,000 rows: several files at any size the bench runs.
const ROWS_PER_FILE = { arrow: 100_000, parquet: undefined, csv: undefined };
const work = mkdtempSync(join(tmpdir(), 'redivis-arrow-dataset-bench-'));
const mib = () => process.memoryUsage().rss / 2 ** 20;
const settle = async () => {
  globalThis.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  globalThis.gc?.();
};

/** Runs `fn`, sampling RSS every 10 ms: peak growth over the RSS before it, and seconds taken. */
async function measure(fn) {
  await settle();
  const before = mib();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, mib());
  }, 10);
  const start = performance.now();
  const result = await fn();
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, mib());
  return { grew: peak - before, seconds, result };
}

const server = await startServer(ROWS);
try {
  const redivis = createRedivis(createTransport({ baseUrl: server.url, apiToken: TOKEN }));
  const table = redivis.table('demo.weather_sample.daily_observations');
  const read = { maxParallelization: 1 };
  // Warm-up: connections, code paths and the emulator's first read of the table.
  for await (const _ of table.toArrowBatchIterator({ ...read, maxResults: 10_000 })) void _;

  const drain = await measure(async () => {
    let n = 0;
    for await (const b of table.toArrowBatchIterator(read)) n += b.numRows;
    return n;
  });
  const inMemory = await measure(async () => (await table.toArrowTable(read)).numRows);
  const outputs = [];
  for (const format of FORMATS) {
    const maxRowsPerFile = ROWS_PER_FILE[format];
    outputs.push([
      format,
      await measure(() =>
        toArrowDataset(table, {
          ...read,
          path: join(work, format),
          format,
          ...(maxRowsPerFile ? { maxRowsPerFile } : {}),
        }),
      ),
    ]);
  }
  const f = (x, d = 1) => x.toFixed(d);
  const rate = (m) => ROWS / m.seconds;
  console.log(`rows: ${ROWS} (${drain.result} read); gc exposed: ${typeof globalThis.gc === 'function'}`);
  console.log(
    `drain toArrowBatchIterator: ${f(drain.seconds, 2)} s, ${f(rate(drain), 0)} rows/s, +${f(drain.grew)} MiB`,
  );
  console.log(`toArrowTable (all in memory): ${f(inMemory.seconds, 2)} s, +${f(inMemory.grew)} MiB`);
  for (const [name, m] of outputs) {
    console.log(
      `toArrowDataset ${name}: ${m.result.files.length} files, ${m.result.numRows} rows, ${f(m.seconds, 2)} s, ` +
        `+${f(m.grew)} MiB peak = ${f(m.grew / inMemory.grew, 2)}× toArrowTable's growth; ` +
        `speed ${f(rate(m) / rate(drain), 2)}× draining`,
    );
  }
} finally {
  await server.stop();
  server.remove();
  rmSync(work, { recursive: true, force: true });
}
