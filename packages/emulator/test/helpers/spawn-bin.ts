import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built bin (`pnpm build`), as users run it. */
export const distBin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Whether the bin was built (tests of the built bin run after `pnpm build`, as CI does). */
export const distBuilt = existsSync(distBin);

/** A spawned emulator: its API URL and a `stop()` resolving the exit code after SIGTERM. */
export interface SpawnedEmulator {
  url: string;
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/** Starts the built bin with the demo seed and `args` in its own process; resolves once it listens. */
export async function spawnBin(args: readonly string[]): Promise<SpawnedEmulator> {
  const child = spawn(process.execPath, [distBin, '--seed', 'demo', '--seed-rows', '5', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code} before listening`)));
  });
  if (!first.startsWith('Redivis emulator listening on ')) throw new Error(`unexpected first line: ${first}`);
  return {
    url: first.replace('Redivis emulator listening on ', ''),
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
