import { RecordBatchReader } from 'apache-arrow';
import { createReadSession, toArrowBatchIterator } from '../dist/index.js';
import { median, OBS, perSecond } from './common.mjs';

/** Downloads every stream of a fresh session whole (no decoding). */
async function downloadStreams(c, streams) {
  const session = await createReadSession(c, OBS, { requestedStreamCount: streams });
  return Promise.all(
    session.streams.map((s) =>
      c.requestBytes({
        path: `/readStreams/${encodeURIComponent(s.id)}`,
        query: { offset: 0, eosSentinel: true },
      }),
    ),
  );
}

/** Reads every stream of a fresh session through to the end, discarding the bytes: the transport's own rate. */
async function drainStreams(c, streams) {
  const session = await createReadSession(c, OBS, { requestedStreamCount: streams });
  const sizes = await Promise.all(
    session.streams.map(async (s) => {
      const response = await c.requestStream({
        path: `/readStreams/${encodeURIComponent(s.id)}`,
        query: { offset: 0, eosSentinel: true },
      });
      const reader = response.body.getReader();
      let n = 0;
      for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.byteLength;
      return n;
    }),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * Measures toArrowBatchIterator against three limits over the same Arrow IPC bytes: decoding them from memory
 * (apache-arrow, synchronous), streaming them through without decoding, and the sum of both.
 *
 * @param c - Core client for the server to read from.
 * @param repeat - Runs per measurement (the median is kept).
 * @param streams - Streams to request and read in parallel.
 */
export async function throughput(c, repeat, streams) {
  const buffers = await downloadStreams(c, streams);
  const bytes = buffers.reduce((n, b) => n + b.byteLength, 0);
  const decode = await median(repeat, () => {
    let rows = 0;
    for (const buffer of buffers) for (const batch of RecordBatchReader.from(buffer)) rows += batch.numRows;
    return rows;
  });
  buffers.length = 0;
  const download = await median(repeat, () => drainStreams(c, streams));
  const iterate = await median(repeat, async () => {
    let rows = 0;
    for await (const batch of toArrowBatchIterator(c, OBS, { maxParallelization: streams }))
      rows += batch.numRows;
    return rows;
  });
  const rows = iterate.result;
  return {
    rows,
    streams,
    ipcMB: +(bytes / 1024 / 1024).toFixed(1),
    decodeFromMemoryRowsPerSec: perSecond(decode.result, decode.ms),
    downloadRowsPerSec: perSecond(rows, download.ms),
    iteratorRowsPerSec: perSecond(rows, iterate.ms),
    vsDecodeFromMemory: +(decode.ms / iterate.ms).toFixed(3),
    vsDownload: +(download.ms / iterate.ms).toFixed(3),
    vsDownloadPlusDecode: +((download.ms + decode.ms) / iterate.ms).toFixed(3),
  };
}

/** Prints one throughput result. */
export function printThroughput(title, t) {
  const f = (n) => n.toLocaleString('en');
  console.log(`\n${title}: ${f(t.rows)} rows, ${t.ipcMB} MB of Arrow IPC, ${t.streams} stream(s)`);
  console.log(
    `  decode the bytes from memory (limit): ${f(t.decodeFromMemoryRowsPerSec).padStart(13)} rows/s`,
  );
  console.log(`  stream the bytes, no decoding:        ${f(t.downloadRowsPerSec).padStart(13)} rows/s`);
  console.log(`  toArrowBatchIterator:                 ${f(t.iteratorRowsPerSec).padStart(13)} rows/s`);
  console.log(`  ratio vs decode from memory:  ${t.vsDecodeFromMemory}`);
  console.log(`  ratio vs streaming bytes only:${t.vsDownload}`);
  console.log(`  ratio vs stream + decode:     ${t.vsDownloadPlusDecode}`);
}
