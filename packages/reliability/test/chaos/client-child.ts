// The client process of the chaos suite's "client killed" runs (bundled by client-kill.ts, run with node): one
// upload of a local CSV or one file download through redivis-ts, as a user's script would do it. With `freezeAt` it
// stops itself mid-transfer (the event loop blocked, sockets and files open as they are) and says so on stdout, so
// the suite's SIGKILL lands at the seeded point and not wherever the scheduler happened to be.
import { writeSync } from 'node:fs';
import { createClient, fileSource } from 'redivis-ts';

/** What the suite asks the child to do (argv[2], JSON). */
export interface ChildTask {
  url: string;
  token: string;
  op: 'upload' | 'download';
  /** upload: the table reference; download: the files table. */
  table: string;
  /** upload: the CSV file; download: the folder to download into. */
  path: string;
  /** download: the file name in the table's index. */
  file?: string;
  /** Bytes after which the child freezes; absent: run to the end. */
  freezeAt?: number;
  /** upload: freeze before the chunk holding `freezeAt` is sent, or a few ms after its PUT started. */
  inFlightMs?: number;
}

const task = JSON.parse(process.argv[2] as string) as ChildTask;
// Synchronous writes: a line must be out before the event loop is blocked.
const say = (line: string) => writeSync(1, `${line}\n`);

let frozen = false;
function freeze(at: number): void {
  if (frozen) return;
  frozen = true;
  say(`frozen ${at}`);
  // Blocks this thread: nothing more is sent or written until the suite's SIGKILL. If none comes, give up loudly.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  say('not killed');
  process.exit(70);
}

const loggingFetch: typeof fetch = (input, init) => {
  const request = input instanceof Request ? input : undefined;
  const method = init?.method ?? request?.method ?? 'GET';
  const url = new URL(request?.url ?? String(input));
  const range = new Headers(init?.headers ?? request?.headers).get('content-range') ?? '-';
  say(`req ${method} ${url.pathname} ${range}`);
  return fetch(input, init);
};

const redivis = createClient({
  apiToken: task.token,
  baseUrl: task.url,
  fetch: loggingFetch,
  retry: { limit: 8, initialDelayMs: 5, backoffLimitMs: 100, maxRetryAfterMs: 2_000 },
});

try {
  if (task.op === 'upload') {
    const file = await fileSource(task.path);
    const source = {
      size: file.size,
      name: file.name,
      identity: file.identity,
      async read(start: number, end: number) {
        const at = task.freezeAt;
        const bytes = await file.read(start, end);
        if (at !== undefined && start <= at && at < end) {
          if (task.inFlightMs === undefined) freeze(start);
          else setTimeout(() => freeze(start), task.inFlightMs);
        }
        return bytes;
      },
    };
    const upload = await redivis
      .table(task.table)
      .upload('data.csv')
      .create(source, {
        type: 'delimited',
        chunkSize: 256 * 1024,
        maxChunkRetries: 10,
        onProgress: (p) => {
          if (p.phase === 'uploading') say(`progress ${p.bytesUploaded}`);
        },
      });
    say(`done ${upload.properties?.status}`);
  } else {
    const file = await redivis.table(task.table).file(task.file as string);
    if (!file) throw new Error(`${task.file} is not in ${task.table}`);
    const target = await file.download({
      path: `${task.path}/`,
      onProgress: (p) => {
        if (task.freezeAt !== undefined && p.filesCompleted === 0 && p.bytesDownloaded >= task.freezeAt)
          freeze(p.bytesDownloaded);
      },
    });
    say(`done ${target}`);
  }
} catch (error) {
  say(`error ${(error as Error).name}: ${(error as Error).message}`);
  process.exitCode = 1;
}
