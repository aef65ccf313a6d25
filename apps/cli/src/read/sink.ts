import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type OutputStream, writeChunk } from '../core/io.js';

/** Where a read's bytes go: stdout, or a file that appears under its final name only once complete. */
export interface Sink {
  /** Write a chunk, waiting for the destination to drain when it is full (bounded memory). */
  write(chunk: string | Uint8Array): Promise<void> | undefined;
  /** Finish: flush and, for a file, rename the temporary file to the final name. */
  commit(): Promise<void>;
  /** Give up: close and delete the temporary file (the final name is never touched). */
  abort(): Promise<void>;
  /** The final path, for a file sink. */
  readonly path?: string;
}

/** A sink on stdout. */
export function stdoutSink(stdout: OutputStream): Sink {
  return {
    write: (chunk) => writeChunk(stdout, chunk),
    commit: async () => {},
    abort: async () => {},
  };
}

/**
 * A sink on `path` written through a temporary sibling (`.name.<pid>.partial`) and renamed into place by
 * `commit()`: an interrupted read (Ctrl-C, a network failure) never leaves a partial file under the final name.
 */
export async function fileSink(path: string, cwd: string): Promise<Sink> {
  const target = resolve(cwd, path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
  const stream: WriteStream = createWriteStream(temp, { flags: 'w' });
  await once(stream, 'open');
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = error;
  });
  const close = async () => {
    if (stream.closed) return;
    stream.end();
    await once(stream, 'close');
  };
  return {
    path: target,
    write(chunk) {
      if (failure) throw failure;
      return writeChunk(stream, chunk);
    },
    async commit() {
      await close();
      if (failure) throw failure;
      await rename(temp, target);
    },
    async abort() {
      stream.destroy();
      await rm(temp, { force: true });
    },
  };
}
