import { CommanderError } from 'commander';
import { describeFailure, ExitCode } from './core/errors.js';
import type { CliIO } from './core/io.js';
import { buildProgram } from './core/program.js';
import { paletteFor } from './output/colors.js';

/**
 * Run `redivis` with `argv` (the words after the program name) and return the exit code. Never exits the process,
 * so tests run commands in-process with captured output.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version "fail" with exit code 0; commander has already printed its own usage errors.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const failure = describeFailure(error, io.signal.aborted);
    const palette = paletteFor(io.stderr.isTTY, io.env, !argv.includes('--no-color'));
    io.stderr.write(`${palette.red('error:')} ${failure.message}\n`);
    if (failure.hint) io.stderr.write(`${palette.dim('hint:')} ${failure.hint}\n`);
    return failure.exitCode;
  }
}
