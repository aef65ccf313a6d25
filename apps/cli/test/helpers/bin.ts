import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built bin (`dist/bin.js`). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Build the CLI and the packages it imports (turbo; cached, so a no-op when dist is fresh), so the bin tests
 * always run against the current sources, with or without a prior `pnpm build`.
 */
export function buildBin(): void {
  execFileSync(
    'npx',
    [
      '-y',
      'pnpm@10',
      'exec',
      'turbo',
      'run',
      'build',
      '--filter=@redivis-ts/cli...',
      '--output-logs=errors-only',
    ],
    {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** What a spawned `redivis` printed and how it ended. */
export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the built bin as a subprocess. */
export function runBin(
  args: readonly string[],
  options: {
    env?: Record<string, string | undefined>;
    nodeArgs?: string[];
    stdin?: string;
    cwd?: string;
  } = {},
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      cwd: options.cwd ?? REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
