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
