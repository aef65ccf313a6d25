import type { Readable } from 'node:stream';

/** A stream the CLI writes to: stdout or stderr, or a capture in tests. */
export interface OutputStream {
  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  /** True only for an interactive terminal: progress bars and spinners appear only then. */
  isTTY?: boolean;
  /** Terminal width in columns, when known. */
  columns?: number;
}

/**
 * Everything a command touches outside its arguments, so the same code runs as the `redivis` bin and in-process
 * in tests with captured output.
 */
export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl-C: commands pass it to every request and stream. */
  signal: AbortSignal;
}

/** The process's own streams and environment; `signal` fires on the first SIGINT. */
export function processIO(signal: AbortSignal): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
}

/** Write a chunk and wait for the stream to drain when its buffer is full (bounded memory when piping). */
export function writeChunk(stream: OutputStream, chunk: string | Uint8Array): Promise<void> | undefined {
  if (stream.write(chunk)) return undefined;
  return new Promise((resolve) => stream.once('drain', () => resolve()));
}
