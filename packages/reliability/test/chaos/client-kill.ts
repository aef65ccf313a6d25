import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import type { Prng } from '../helpers/prng.js';
import type { ChildTask } from './client-child.js';
import {
  type ChaosEnv,
  checksumRows,
  csvOf,
  expectSame,
  freshTable,
  type Planned,
  sourceRows,
  tableChecksum,
} from './env.js';

const CHUNK = 256 * 1024;

/**
 * Bundles client-child.ts (redivis-ts from its sources, as vitest sees them) into one script node runs directly:
 * the killed client is a real process with its own sockets, files and resume store, not a worker of the suite.
 */
export async function buildClientChild(outDir: string): Promise<string> {
  const outfile = join(outDir, 'client-child.mjs');
  await build({
    entryPoints: [new URL('./client-child.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    conditions: ['@redivis-ts/source'],
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  /** Whether the child froze at its kill point (and was killed there). */
  frozen: boolean;
}

/** Runs the client once; a child that reports `frozen` is SIGKILLed at once. Resolves when its pipes are closed. */
function runChild(env: ChaosEnv, task: ChildTask, configDir: string): Promise<ChildRun> {
  const child = spawn(process.execPath, [env.childScript, JSON.stringify(task)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, REDIVIS_CONFIG_DIR: configDir, REDIVIS_API_TOKEN: '' },
  });
  const lines: string[] = [];
  let frozen = false;
  let pending = '';
  child.stdout.on('data', (d: Buffer) => {
    pending += d.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (line.startsWith('frozen ') && !frozen) {
        frozen = true;
        child.kill('SIGKILL');
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => lines.push(`stderr ${d.toString().trim()}`));
  // 'close' (not 'exit'): the pipes are closed too, so no handle of the child outlives the run.
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, lines, frozen }));
  });
}

function describeRun(what: string, run: ChildRun): string {
  return `${what}: exit ${run.code ?? run.signal}, last lines: ${run.lines.slice(-4).join(' | ')}`;
}

/**
 * An upload of a CSV over 1 MiB (so through a resumable temp upload of 256 KiB chunks) whose client is killed at a
 * seeded byte, either before that chunk is sent or a few ms after its PUT started, then started again: the rerun
 * must find the session in the on-disk resume store (one 0600 file), start no new temp upload, send its first chunk
 * from the server's committed offset, import the rows exactly once, and leave the store empty.
 */
export function killUploadPlan(rng: Prng, env: ChaosEnv): Planned {
  const rows = sourceRows(rng, rng.int(70_000, 140_000));
  const csv = csvOf(rows);
  const size = Buffer.byteLength(csv);
  const chunks = Math.ceil(size / CHUNK);
  const freezeAt = Math.min(size - 1, rng.int(1, chunks - 1) * CHUNK + rng.int(0, CHUNK - 1));
  const inFlightMs = rng.next() < 0.5 ? undefined : rng.int(0, 20);
  return {
    op: `upload ${size}B, client killed at ${freezeAt} ${inFlightMs === undefined ? 'before its chunk' : `${inFlightMs} ms into its chunk`}`,
    fault: { kind: 'clientKill', rules: [] },
    run: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'redivis-chaos-kill-up-'));
      try {
        const path = join(dir, 'data.csv');
        await writeFile(path, csv);
        const table = await freshTable(env, rng);
        const task: ChildTask = {
          url: env.url,
          token: env.token,
          op: 'upload',
          table: table.qualifiedReference,
          path,
        };
        const config = join(dir, 'config');
        const first = await runChild(
          env,
          { ...task, freezeAt, ...(inFlightMs === undefined ? {} : { inFlightMs }) },
          config,
        );
        if (!first.frozen) throw new Error(describeRun('the upload ended before its kill point', first));
        const store = join(config, 'uploads');
        const sessions = await readdir(store);
        if (sessions.length !== 1)
          throw new Error(`resume store after the kill: ${sessions.join(', ') || 'empty'}`);
        const mode = (await stat(join(store, sessions[0] as string))).mode & 0o777;
        if (mode !== 0o600) throw new Error(`resume store file mode ${mode.toString(8)}`);
        const committedBefore = Math.max(0, ...progressOf(first.lines));

        const second = await runChild(env, task, config);
        if (second.code !== 0 || !second.lines.includes('done completed'))
          throw new Error(describeRun('the rerun', second));
        const requests = second.lines.filter((l) => l.startsWith('req '));
        if (requests.some((l) => /^req POST \S+\/tempUploads /.test(l)))
          throw new Error('the rerun created a new temp upload instead of resuming');
        const firstChunk = requests.find((l) => /^req PUT \S+ bytes \d+-/.test(l));
        const start = Number(/bytes (\d+)-/.exec(firstChunk ?? '')?.[1] ?? Number.NaN);
        if (!(start > 0 && start >= committedBefore))
          throw new Error(
            `the rerun sent its first chunk from ${start}, the killed run had ${committedBefore} committed`,
          );
        if ((await readdir(store)).length !== 0)
          throw new Error('the resume store kept the finished session');
        expectSame('upload after a client kill', await tableChecksum(table), checksumRows(rows));
        return 'ok';
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Every file under `dir`, as paths relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

function progressOf(lines: string[]): number[] {
  return lines.filter((l) => l.startsWith('progress ')).map((l) => Number(l.slice('progress '.length)));
}

/**
 * A file download whose client is killed once a seeded number of bytes is on disk, then started again: nothing
 * may be under the final name after the kill, and the rerun must write the file exactly (MD5 of the source) and
 * leave nothing else in the folder (the killed run's partial file included).
 */
export function killDownloadPlan(rng: Prng, env: ChaosEnv): Planned {
  const file = rng.pick(env.files.filter((f) => f.size > 0));
  const freezeAt = rng.int(0, file.size - 1);
  return {
    op: `download ${file.name}, client killed at ${freezeAt} of ${file.size} bytes`,
    fault: { kind: 'clientKill', rules: [] },
    run: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'redivis-chaos-kill-dl-'));
      try {
        const folder = join(dir, 'files');
        const task: ChildTask = {
          url: env.url,
          token: env.token,
          op: 'download',
          table: 'demo.demo_files.files',
          file: file.name,
          path: folder,
        };
        const config = join(dir, 'config');
        const first = await runChild(env, { ...task, freezeAt }, config);
        if (!first.frozen) throw new Error(describeRun('the download ended before its kill point', first));
        // Whatever the kill left may only be hidden partial files, never a file under a name the user would open.
        const afterKill = await filesUnder(folder);
        const visible = afterKill.filter((path) => !/(^|\/)\.[^/]+\.part$/.test(path));
        if (visible.length > 0) throw new Error(`a killed download left ${visible.join(', ')}`);
        const second = await runChild(env, task, config);
        const target = second.lines.find((l) => l.startsWith('done '))?.slice('done '.length);
        if (second.code !== 0 || !target) throw new Error(describeRun('the rerun', second));
        const md5 = createHash('md5')
          .update(await readFile(target))
          .digest('base64');
        if (md5 !== file.md5)
          throw new Error(`download of ${file.name} after a kill: md5 ${md5}, want ${file.md5}`);
        const left = (await filesUnder(folder)).filter((path) => join(folder, path) !== target);
        if (left.length > 0) throw new Error(`the rerun left ${left.join(', ')} beside the file`);
        return 'ok';
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
