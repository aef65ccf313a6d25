// Upload and download transfer benchmark, every figure against a baseline measured in the same run on the same
// emulator (a child process, so the client's RSS is this process's alone):
//  1. a file through the SDK's resumable path (sendToTempUpload with the default chunk size: 64 MiB streamed from a
//     file source, committed-offset bookkeeping) vs one
//     raw PUT of the same bytes to a temp upload of the same emulator (goal ≥ 0.7), with the client's peak RSS over
//     its baseline (goal < 150 MB);
//  2. the same file downloaded with file.download() (MD5 checked, partial file renamed) vs a raw GET piped to disk
//     (goal ≥ 0.8);
//  3. an Arrow table of BENCH_ROWS rows → Parquet (toParquet) → createUpload → imported: rows/s end to end, with
//     the share of each phase;
//  4. a CSV export of that table: its part downloaded by export.downloadFiles() (MD5 checked, partial file renamed)
//     vs a raw GET of the same part piped to disk (goal ≥ 0.8).
// Usage (after `pnpm build`): node packages/node/bench/transfer.mjs [MiB] [rows]   (defaults 256, 1,000,000)
import { randomFillSync } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createTransport } from '@redivis-ts/core';
import { fileSource, nodePlatform } from '@redivis-ts/node';
import { createRedivis, Export } from '@redivis-ts/resources';
import * as uploads from '@redivis-ts/upload';
import { tableFromArrays } from 'apache-arrow';
import { api, startServer, TOKEN } from '../../emulator/bench/common.mjs';

const MIB = Number(process.argv[2] ?? process.env.BENCH_MB ?? 256);
const ROWS = Number(process.argv[3] ?? process.env.BENCH_ROWS ?? 1_000_000);
const work = mkdtempSync(join(tmpdir(), 'redivis-transfer-bench-'));
const size = MIB * 2 ** 20;
const file = join(work, 'data.bin');
{
  const block = Buffer.alloc(2 ** 20);
  const out = createWriteStream(file);
  for (let i = 0; i < MIB; i++) {
    randomFillSync(block);
    if (!out.write(Buffer.from(block))) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}
const fmt = (n, d = 2) => n.toFixed(d);
const mbps = (ms) => size / 2 ** 20 / (ms / 1000);
const rss = () => process.memoryUsage().rss / 2 ** 20;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer(10);
try {
  await api(server.url, '/users/alice/datasets', { name: 'transfer_bench', publicAccessLevel: 'none' });
  await api(server.url, `/datasets/${encodeURIComponent('alice.transfer_bench')}/tables`, {
    name: 'files',
    isFileIndex: true,
  });
  await api(server.url, `/datasets/${encodeURIComponent('alice.transfer_bench')}/tables`, { name: 'frame' });
  const filesUri = `/tables/${encodeURIComponent('alice.transfer_bench:next.files')}`;
  const transport = createTransport({ baseUrl: server.url, apiToken: TOKEN });

  async function rawPut() {
    const { results } = await api(server.url, `${filesUri}/tempUploads`, {
      tempUploads: [{ size, name: 'raw.bin', resumable: true }],
    });
    const start = await fetch(results[0].url, {
      method: 'POST',
      headers: { 'x-goog-resumable': 'start', 'x-upload-content-length': String(size) },
    });
    const session = start.headers.get('location');
    const t = performance.now();
    await new Promise((resolve, reject) => {
      const req = request(session, {
        method: 'PUT',
        headers: { 'Content-Length': size, 'Content-Range': `bytes 0-${size - 1}/${size}` },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`PUT ${res.statusCode}`))));
      });
      req.on('error', reject);
      createReadStream(file, { highWaterMark: 1 << 20 }).pipe(req);
    });
    return { ms: performance.now() - t, id: results[0].id };
  }

  async function sdkPut() {
    const source = await fileSource(file);
    const t = performance.now();
    const id = await uploads.sendToTempUpload(transport, source, size, {
      parentUri: filesUri,
      name: 'sdk.bin',
      resumable: true,
      store: uploads.memoryResumeStore(),
      key: undefined,
      // Builds before defaultChunkSize (BEFORE runs of this bench) sent 8 MiB chunks.
      chunkSize: uploads.defaultChunkSize?.(source) ?? 8 * 2 ** 20,
      maxChunkRetries: 10,
    });
    return { ms: performance.now() - t, id };
  }

  // 1. Upload, interleaved raw/SDK/SDK/raw/raw/SDK so load drifts hit both alike.
  const baseRss = rss();
  let peak = baseRss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 10);
  const raw = [];
  const sdk = [];
  let lastSdkId;
  for (const which of ['raw', 'sdk', 'sdk', 'raw', 'raw', 'sdk']) {
    if (which === 'raw') raw.push((await rawPut()).ms);
    else {
      const r = await sdkPut();
      sdk.push(r.ms);
      lastSdkId = r.id;
    }
  }
  clearInterval(sampler);
  const up = { raw: median(raw), sdk: median(sdk) };
  console.log(
    `upload ${MIB} MiB: raw PUT ${fmt(mbps(up.raw))} MiB/s, SDK resumable ${fmt(mbps(up.sdk))} MiB/s`,
  );
  console.log(
    `  ratio SDK/raw ${fmt(up.raw / up.sdk)} (goal ≥ 0.7); client peak RSS +${fmt(peak - baseRss, 0)} MiB`,
  );

  // 2. Download: register the SDK's temp upload as a raw file, then raw GET vs file.download().
  const added = await api(server.url, `${filesUri}/rawFiles`, {
    files: [{ name: 'data.bin', tempUploadId: lastSdkId }],
  });
  const fileId = added.results[0].id;
  const redivis = createRedivis(transport, nodePlatform({ tokenStore: undefined }));
  const target = await redivis.table('alice.transfer_bench:next.files').file('data.bin');
  async function rawGet() {
    const t = performance.now();
    const res = await fetch(`${server.url}/rawFiles/${fileId}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    await pipeline(res.body, createWriteStream(join(work, 'raw-get.bin')));
    return performance.now() - t;
  }
  async function sdkGet() {
    const t = performance.now();
    await target.download({ path: join(work, 'sdk-get.bin'), overwrite: true });
    const ms = performance.now() - t;
    rmSync(join(work, 'sdk-get.bin'), { force: true });
    return ms;
  }
  const getRaw = [];
  const getSdk = [];
  for (const which of ['raw', 'sdk', 'sdk', 'raw', 'raw', 'sdk'])
    (which === 'raw' ? getRaw : getSdk).push(await (which === 'raw' ? rawGet() : sdkGet()));
  const down = { raw: median(getRaw), sdk: median(getSdk) };
  console.log(
    `download ${MIB} MiB: raw GET ${fmt(mbps(down.raw))} MiB/s, file.download() ${fmt(mbps(down.sdk))} MiB/s`,
  );
  console.log(`  ratio SDK/raw ${fmt(down.raw / down.sdk)} (goal ≥ 0.8)`);

  // 3. Arrow table → Parquet → upload → imported.
  const ids = new BigInt64Array(ROWS);
  const scores = new Float64Array(ROWS);
  const names = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    ids[i] = BigInt(i);
    scores[i] = i / 7;
    names[i] = `name_${i % 1000}`;
  }
  const arrow = tableFromArrays({ id: ids, score: scores, name: names });
  const t0 = performance.now();
  const parquet = uploads.toParquet(arrow);
  const t1 = performance.now();
  writeFileSync(join(work, 'frame.parquet'), parquet);
  const upload = await uploads.createUpload(
    transport,
    { tableUri: `/tables/${encodeURIComponent('alice.transfer_bench:next.frame')}`, name: 'frame.parquet' },
    await fileSource(join(work, 'frame.parquet')),
    { type: 'parquet' },
  );
  const t2 = performance.now();
  if (upload.status !== 'completed' || Number(upload.numRows) !== ROWS)
    throw new Error(`upload ${upload.status}`);
  console.log(
    `arrow ${ROWS.toLocaleString()} rows → parquet (${fmt(parquet.byteLength / 2 ** 20, 1)} MiB) → upload → imported: ` +
      `${Math.round(ROWS / ((t2 - t0) / 1000)).toLocaleString()} rows/s end to end ` +
      `(toParquet ${fmt((t1 - t0) / 1000)} s, upload + import ${fmt((t2 - t1) / 1000)} s)`,
  );

  // 4. Export part: one CSV export of the frame table, then its part fetched raw and through the SDK, interleaved.
  let exported = await api(
    server.url,
    `/tables/${encodeURIComponent('alice.transfer_bench:next.frame')}/exports`,
    {
      format: 'csv',
    },
  );
  while (exported.status !== 'completed') {
    if (exported.status === 'failed') throw new Error(`export: ${exported.errorMessage}`);
    await new Promise((r) => setTimeout(r, 100));
    exported = await api(server.url, `/exports/${exported.id}`);
  }
  const ctx = { client: transport, platform: nodePlatform({ tokenStore: undefined }), make: { Export } };
  const partBytes = (
    await fetch(`${server.url}/exports/${exported.id}/download?filePart=0`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    }).then((r) => r.arrayBuffer())
  ).byteLength;
  async function rawPart() {
    const t = performance.now();
    const res = await fetch(`${server.url}/exports/${exported.id}/download?filePart=0`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    await pipeline(res.body, createWriteStream(join(work, 'raw-part.csv')));
    return performance.now() - t;
  }
  async function sdkPart() {
    const t = performance.now();
    await new Export(ctx, exported.id, exported).downloadFiles({
      path: join(work, 'sdk-part.csv'),
      overwrite: true,
    });
    const ms = performance.now() - t;
    rmSync(join(work, 'sdk-part.csv'), { force: true });
    return ms;
  }
  const partRaw = [];
  const partSdk = [];
  for (const which of ['raw', 'sdk', 'sdk', 'raw', 'raw', 'sdk', 'sdk', 'raw', 'raw', 'sdk'])
    (which === 'raw' ? partRaw : partSdk).push(await (which === 'raw' ? rawPart() : sdkPart()));
  const part = { raw: median(partRaw), sdk: median(partSdk) };
  const partMbps = (ms) => partBytes / 2 ** 20 / (ms / 1000);
  console.log(
    `export part ${fmt(partBytes / 2 ** 20, 1)} MiB: raw GET ${fmt(partMbps(part.raw))} MiB/s, ` +
      `export.downloadFiles() ${fmt(partMbps(part.sdk))} MiB/s`,
  );
  console.log(`  ratio SDK/raw ${fmt(part.raw / part.sdk)} (goal ≥ 0.8)`);
} finally {
  await server.stop();
  server.remove();
  rmSync(work, { recursive: true, force: true });
}
