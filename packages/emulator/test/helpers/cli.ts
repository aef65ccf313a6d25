import type { CliIO } from '../../src/bin-io.js';

/** What `runCli` printed, line by line, plus the {@link CliIO} that collects it. */
export interface CapturedIO {
  io: CliIO;
  out: string[];
  err: string[];
}

/** A fresh {@link CliIO} that keeps stdout and stderr lines for the test to read. */
export function capture(): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}
