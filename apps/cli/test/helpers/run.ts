import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import type { CliIO, OutputStream } from '../../src/core/io.js';
import { run } from '../../src/main.js';

/** What one in-process `redivis` run printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link TestCli.run}. */
export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Pretend stdout is a terminal this wide. */
  tty?: number;
  signal?: AbortSignal;
}

/** A captured output stream (never back-pressures). */
function capture(tty?: number): OutputStream & { text(): string } {
  const chunks: string[] = [];
  return {
    write(chunk, callback) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
      callback?.();
      return true;
    },
    once: () => undefined,
    ...(tty ? { isTTY: true, columns: tty } : {}),
    text: () => chunks.join(''),
  };
}

/** An emulator for one test file plus a runner of `redivis` commands against it, and a scratch directory. */
export interface TestCli {
  emu: RunningEmulator;
  dir: string;
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Start a command and watch its stderr while it runs (e.g. for the login URL). */
  start(argv: readonly string[], options?: RunOptions): { result: Promise<RunResult>; stderr(): string };
  stop(): Promise<void>;
}

/** Start an emulator on port 0 (demo seed, small) and return a runner that points `redivis` at it as demo_admin. */
export async function startTestCli(seedRows = 300): Promise<TestCli> {
  const emu = await startEmulator({ seed: 'demo', seedRows, rateLimit: false });
  const dir = await mkdtemp(join(tmpdir(), 'redivis-cli-test-'));
  const start = (argv: readonly string[], options: RunOptions = {}) => {
    const stdout = capture(options.tty);
    const stderr = capture();
    const io: CliIO = {
      stdout,
      stderr,
      stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
      env: {
        REDIVIS_API_ENDPOINT: emu.url,
        REDIVIS_API_TOKEN: 'rdv_demo_admin_token',
        NO_COLOR: '1',
        // Never the developer's own login.
        REDIVIS_CONFIG_DIR: join(dir, 'config'),
        ...options.env,
      },
      cwd: dir,
      signal: options.signal ?? new AbortController().signal,
    };
    const result = run(argv, io).then((code) => ({ code, stdout: stdout.text(), stderr: stderr.text() }));
    return { result, stderr: () => stderr.text() };
  };
  return {
    emu,
    dir,
    start,
    run: (argv, options) => start(argv, options).result,
    async stop() {
      await emu.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
