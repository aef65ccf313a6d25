import { join, resolve } from 'node:path';
import { DATABASE_FILE } from './server.js';
import { Db } from './store/db.js';

/** Where the CLI writes; injectable so `runCli` can be tested in-process. */
export interface CliIO {
  /** One line to stdout. */
  out(line: string): void;
  /** One line to stderr. */
  err(line: string): void;
}

/** The process's stdout / stderr. */
export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Opens a stopped emulator's database for an offline subcommand (`tokens`, `apps`). DuckDB allows one writer per
 * file, so a running emulator holds a lock: say so, with `busyHint` naming the online alternative.
 * Returns undefined (after writing the reason) when the database cannot be opened.
 */
export async function openDataDirDb(dataDir: string, io: CliIO, busyHint: string): Promise<Db | undefined> {
  try {
    return await Db.open(join(resolve(dataDir), DATABASE_FILE));
  } catch (e) {
    const msg = (e as Error).message;
    io.err(
      /lock/i.test(msg)
        ? `The data directory is in use by a running emulator; stop it first (${busyHint}).`
        : `Cannot open the data directory: ${msg}`,
    );
    return undefined;
  }
}
