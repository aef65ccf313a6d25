// One listRows-style read in a fresh process: prints {rows, ms, cpuMs, baseline, peak} (RSS in bytes) as one JSON
// line; cpuMs is this process's CPU time (user + system) during the read.
// Usage: node bench/list-rows-child.mjs <emulatorUrl> <reader> <rows>
//   reader: official (the `redivis` npm client's Table.listRows), objects, arrays (listRows with that rowMode),
//           stream (for await over toRowIterator(), keeping nothing), batches (toArrowBatchIterator, keeping nothing);
//           `<reader>@before` runs it from the build in $BEFORE_DIST (an earlier `dist/`, for before/after runs).
import { pathToFileURL } from 'node:url';
import { client, OBS, TOKEN } from './common.mjs';

const [url, readerArg, rowsArg] = process.argv.slice(2);
const rows = Number(rowsArg);
const [reader, before] = readerArg.split('@');
const arrow = await import(
  before ? pathToFileURL(`${process.env.BEFORE_DIST}/index.js`).href : '../dist/index.js'
);

async function official(maxResults) {
  process.env.REDIVIS_API_ENDPOINT = url;
  process.env.REDIVIS_API_TOKEN = TOKEN;
  const redivis = await import('redivis');
  const table = redivis.organization('demo').dataset('weather_sample').table('daily_observations');
  const result = await table.listRows(maxResults);
  return result.length;
}

async function ours(maxResults) {
  const c = client(url);
  if (reader === 'batches') {
    let n = 0;
    for await (const batch of arrow.toArrowBatchIterator(c, OBS, { maxResults })) n += batch.numRows;
    return n;
  }
  if (reader === 'stream') {
    let n = 0;
    for await (const _ of arrow.toRowIterator(c, OBS, { maxResults })) n++;
    return n;
  }
  const result = await arrow.listRows(c, OBS, { maxResults, rowMode: reader });
  return result.length;
}

const read = reader === 'official' ? official : ours;
// Warm up: load modules and open a connection, so that the baseline includes the code the read needs.
await read(10);
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const start = performance.now();
const cpu = process.cpuUsage();
const seen = await read(rows);
const ms = performance.now() - start;
const { user, system } = process.cpuUsage(cpu);
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(
  `${JSON.stringify({ reader: readerArg, rows: seen, ms, cpuMs: (user + system) / 1000, baseline, peak })}\n`,
);
