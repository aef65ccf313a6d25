import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built emulator bin: the suites run the artifact users run, in its own process, so it can be killed. */
export const EMULATOR_BIN = fileURLToPath(new URL('../../../emulator/dist/bin.js', import.meta.url));

/** An emulator running as a child process. */
export interface EmulatorProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (scanned for tokens). */
  output: () => string;
  /** SIGTERM and wait for the exit. */
  stop: () => Promise<void>;
  /** SIGKILL (kill -9) and wait for the exit. */
  kill9: () => Promise<void>;
}

/** Starts `redivis-emulator` on port 0 with `args`; resolves once it prints its URL. */
export async function startEmulatorProcess(args: string[]): Promise<EmulatorProcess> {
  if (!existsSync(EMULATOR_BIN)) {
    throw new Error(
      `${EMULATOR_BIN} is missing: build first (npx pnpm@10 exec turbo run build --filter=@redivis-ts/emulator)`,
    );
  }
  const child = spawn(process.execPath, [EMULATOR_BIN, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Redivis emulator listening on (\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before listening:\n${out}`)));
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    origin: new URL(url).origin,
    child,
    output: () => out,
    stop: () => end('SIGTERM'),
    kill9: () => end('SIGKILL'),
  };
}
