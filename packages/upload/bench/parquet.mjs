// Arrow → Parquet encoding benchmark (toParquet alone, no network): an Arrow table of [rows] rows (int64, float64,
// dictionary string, timestamp, nullable int32), encoded BENCH_REPEAT times (default 3), median rows/s.
// BEFORE=<path to an older build's index.js> encodes with that build in the same run, interleaved, and prints the
// ratio after ÷ before. Usage (after `pnpm build`): node packages/upload/bench/parquet.mjs [rows]   (default 500,000)
import { tableFromArrays } from 'apache-arrow';
import { toParquet } from '../dist/index.js';

const ROWS = Number(process.argv[2] ?? 500_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const ids = new BigInt64Array(ROWS);
const scores = new Float64Array(ROWS);
const names = new Array(ROWS);
const at = new Array(ROWS);
const counts = new Array(ROWS);
for (let i = 0; i < ROWS; i++) {
  ids[i] = BigInt(i);
  scores[i] = i / 7;
  names[i] = `name_${i % 1000}`;
  at[i] = new Date(1_600_000_000_000 + i * 1000);
  counts[i] = i % 10 === 0 ? null : i % 5000;
}
const table = tableFromArrays({ id: ids, score: scores, name: names });
const { vectorFromArray, Int32, TimestampMicrosecond, makeTable } = await import('apache-arrow');
const full = makeTable({
  id: table.getChild('id').data[0],
  score: table.getChild('score').data[0],
  name: table.getChild('name').data[0],
  at: vectorFromArray(at, new TimestampMicrosecond()).data[0],
  count: vectorFromArray(counts, new Int32()).data[0],
});
const encoders = { after: toParquet };
if (process.env.BEFORE) encoders.before = (await import(process.env.BEFORE)).toParquet;
const times = Object.fromEntries(Object.keys(encoders).map((k) => [k, []]));
let bytes = 0;
for (let r = 0; r < REPEAT; r++)
  for (const [name, encode] of Object.entries(encoders)) {
    const t = performance.now();
    bytes = encode(full).byteLength;
    times[name].push(performance.now() - t);
  }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, xs] of Object.entries(times))
  console.log(
    `${name}: toParquet ${ROWS.toLocaleString()} rows (${(bytes / 2 ** 20).toFixed(1)} MiB): ` +
      `${Math.round(ROWS / (median(xs) / 1000)).toLocaleString()} rows/s (median of ${REPEAT})`,
  );
if (times.before)
  console.log(`ratio after ÷ before: ${(median(times.before) / median(times.after)).toFixed(2)}`);
