// Streams `rows` rows of daily_observations with toArrowBatchIterator and reports the process's baseline and peak
// RSS. Run in a fresh process per size so that one measurement's heap does not carry into the next.
import { toArrowBatchIterator } from '../dist/index.js';
import { client, OBS } from './common.mjs';

const [url, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const c = client(url);
// Warm up: load modules and open a connection, so that the baseline includes the code the read needs.
for await (const _ of toArrowBatchIterator(c, OBS, { maxResults: 10 }));
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sample = () => {
  const rss = process.memoryUsage().rss;
  if (rss > peak) peak = rss;
};
const timer = setInterval(sample, 5);
let seen = 0;
for await (const batch of toArrowBatchIterator(c, OBS, { maxResults: rows })) {
  seen += batch.numRows;
  sample();
}
clearInterval(timer);
process.stdout.write(`${JSON.stringify({ rows: seen, baseline, peak })}\n`);
