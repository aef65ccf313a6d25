import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table as ArrowTable, tableFromIPC } from 'apache-arrow';
import type { Prng } from '../helpers/prng.js';
import { killDownloadPlan, killUploadPlan } from './client-kill.js';
import {
  arrowRows,
  type ChaosEnv,
  checksumRows,
  csvOf,
  expectSame,
  freshTable,
  type Planned,
  sourceRows,
  TABLE,
  tableChecksum,
} from './env.js';
import { type Fault, readFault, transientFault } from './faults.js';

const READ_ROUTES = ['POST /tables/*/readSessions'];

/** Chooses the run's operation and fault from the seed. */
export function plan(rng: Prng, env: ChaosEnv): Planned {
  const kind = rng.pick([
    'arrowTable',
    'batches',
    'listRows',
    'readStreams',
    'rowsArrow',
    'query',
    'upload',
    'insert',
    'download',
  ] as const);
  const table = env.redivis.table(TABLE);
  switch (kind) {
    case 'arrowTable':
    case 'batches':
    case 'listRows':
    case 'readStreams': {
      const streams = rng.pick([1, 2, 4]);
      const fault = readFault(rng, 'GET /readStreams/*', READ_ROUTES, 40_000);
      const reconnect = { initialDelayMs: 5, backoffLimitMs: 50 };
      return {
        op: `${kind}×${streams}`,
        fault,
        run: async () => {
          let rows: unknown[][];
          if (kind === 'arrowTable')
            rows = arrowRows(await table.toArrowTable({ maxParallelization: streams, reconnect }));
          else if (kind === 'listRows')
            rows = await table.listRows({
              maxParallelization: streams,
              rowMode: 'arrays',
              int64: 'string',
              reconnect,
            });
          else if (kind === 'batches') {
            rows = [];
            for await (const batch of table.toArrowBatchIterator({
              maxParallelization: streams,
              reconnect,
            })) {
              rows.push(...arrowRows(new ArrowTable(batch)));
            }
          } else {
            rows = [];
            for (const stream of await table.toReadStreams(streams))
              rows.push(...arrowRows(await stream.toArrowTable({ reconnect })));
          }
          // listRows hands out plain values (dates as strings): compare its count, and its checksum to its own kind.
          if (kind === 'listRows') {
            if (rows.length !== env.source.rows)
              throw new Error(`listRows: ${rows.length} rows, want ${env.source.rows}`);
          } else expectSame(kind, checksumRows(rows), env.source);
          return 'ok';
        },
      };
    }
    case 'rowsArrow': {
      const fault = transientFault(rng, ['GET /tables/*/rows']);
      return {
        op: 'rowsArrow',
        fault,
        run: async () => {
          const bytes = (await env.redivis.request({
            path: `/tables/${TABLE}/rows`,
            query: { format: 'arrow', maxResults: env.source.rows },
            as: 'bytes',
          })) as Uint8Array;
          expectSame('rows?format=arrow', checksumRows(arrowRows(tableFromIPC(bytes))), env.source);
          return 'ok';
        },
      };
    }
    case 'query': {
      const fault = transientFault(rng, [
        'POST /queries',
        'GET /queries/*',
        'POST /queries/*/readSessions',
        'GET /readStreams/*',
      ]);
      return {
        op: 'query',
        fault,
        run: async () => {
          const rows = await env.redivis
            .query(`SELECT * FROM ${TABLE}`)
            .toArrowTable({ reconnect: { initialDelayMs: 5, backoffLimitMs: 50 } });
          expectSame('query', checksumRows(arrowRows(rows)), env.source);
          return 'ok';
        },
      };
    }
    // A third of the uploads and downloads run in a client process that is killed mid-transfer and started again.
    case 'upload':
      return rng.next() < 1 / 3 ? killUploadPlan(rng, env) : uploadPlan(rng, env);
    case 'insert':
      return insertPlan(rng, env);
    default:
      return rng.next() < 1 / 3 ? killDownloadPlan(rng, env) : downloadPlan(rng, env);
  }
}

function uploadPlan(rng: Prng, env: ChaosEnv): Planned {
  const rows = sourceRows(rng, rng.int(20_000, 60_000));
  const csv = csvOf(rows);
  const roll = rng.next();
  const fault: Fault =
    roll < 0.35
      ? {
          kind: 'chunkCut',
          rules: [
            {
              route: 'PUT /tempUploads/*',
              times: rng.int(1, 2),
              cutUploadChunkAfterBytes: rng.int(0, 200_000),
            },
          ],
        }
      : roll < 0.5
        ? {
            kind: 'processingFailed',
            rules: [
              { route: 'POST /tables/*/uploads', times: 1, failUploadProcessing: 'chaos: processing failed' },
            ],
          }
        : transientFault(rng, [
            'PUT /tempUploads/*',
            'POST /tables/*/tempUploads',
            'POST /tables/*/uploads',
            'GET /tables/*/uploads/*',
          ]);
  return {
    op: `upload ${csv.length}B`,
    fault,
    run: async () => {
      const table = await freshTable(env, rng);
      try {
        await table
          .upload('data.csv')
          .create(csv, { type: 'delimited', chunkSize: 256 * 1024, maxChunkRetries: 10 });
      } catch (e) {
        if (fault.kind !== 'processingFailed') throw e;
        // The failed upload must leave the table as it was: empty.
        const after = await tableChecksum(table);
        if (after.rows !== 0) throw new Error(`a failed upload left ${after.rows} rows`);
        return 'typed-failure';
      }
      if (fault.kind === 'processingFailed')
        throw new Error('the upload succeeded although its processing was failed');
      expectSame('upload', await tableChecksum(table), checksumRows(rows));
      return 'ok';
    },
  };
}

function insertPlan(rng: Prng, env: ChaosEnv): Planned {
  const rows = sourceRows(rng, rng.int(50, 2_000));
  const fault = transientFault(rng, ['POST /tables/*/uploads/*/rows', 'POST /tables/*/uploads']);
  return {
    op: `insert ${rows.length}`,
    fault,
    run: async () => {
      const table = await freshTable(env, rng);
      const upload = await table.upload('live').create(undefined, {
        type: 'stream',
        schema: [
          { name: 'id', type: 'integer' },
          { name: 's', type: 'string' },
        ],
      });
      await upload.insertRows(
        rows.map(([id, s]) => ({ id, s })),
        { batchRows: rng.int(50, 500) },
      );
      expectSame('insertRows', await tableChecksum(table), checksumRows(rows));
      return 'ok';
    },
  };
}

function downloadPlan(rng: Prng, env: ChaosEnv): Planned {
  const file = rng.pick(env.files);
  const fault = readFault(rng, 'GET /rawFiles/*', [], Math.max(0, file.size - 1));
  return {
    op: `download ${file.name}`,
    fault,
    run: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'redivis-chaos-dl-'));
      try {
        const found = await env.redivis.table('demo.demo_files.files').file(file.name);
        if (!found) throw new Error(`${file.name} not listed`);
        const target = await found.download({ path: `${dir}/` });
        const md5 = createHash('md5')
          .update(await readFile(target))
          .digest('base64');
        if (md5 !== file.md5) throw new Error(`download of ${file.name}: md5 ${md5}, want ${file.md5}`);
        const left = await readdir(dir);
        if (left.length !== 1) throw new Error(`download left ${left.join(', ')} beside the file`);
        return 'ok';
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
