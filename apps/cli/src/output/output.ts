import type { CliIO } from '../core/io.js';
import { type Palette, paletteFor } from './colors.js';
import { type Column, renderTable } from './table.js';

/** The global flags that shape output. */
export interface OutputFlags {
  json: boolean;
  quiet: boolean;
  color: boolean;
}

/**
 * The output style guide in code (see the README): results go to stdout, everything else (status, progress,
 * hints, errors) to stderr; `--json` makes stdout one JSON document and turns progress off; `--quiet` drops status
 * lines; progress bars and spinners appear only when stderr is a terminal.
 */
export class Output {
  /** Colours for stdout text. */
  readonly color: Palette;
  /** Colours for stderr text. */
  readonly errColor: Palette;

  constructor(
    readonly io: CliIO,
    readonly flags: OutputFlags,
  ) {
    this.color = paletteFor(io.stdout.isTTY, io.env, flags.color);
    this.errColor = paletteFor(io.stderr.isTTY, io.env, flags.color);
  }

  /** Whether progress bars and spinners may draw: stderr is a terminal and neither --json nor --quiet is set. */
  get interactive(): boolean {
    return Boolean(this.io.stderr.isTTY) && !this.flags.json && !this.flags.quiet;
  }

  /** A line of the result on stdout. */
  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** The result as JSON on stdout (pretty-printed, one document). */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
  }

  /** A status line on stderr (dropped by --quiet). */
  status(text: string): void {
    if (!this.flags.quiet) this.io.stderr.write(`${text}\n`);
  }

  /** A success line on stderr: `✓ text`. */
  success(text: string): void {
    this.status(`${this.errColor.green('✓')} ${text}`);
  }

  /** A warning on stderr (kept under --quiet). */
  warn(text: string): void {
    this.io.stderr.write(`${this.errColor.yellow('warning:')} ${text}\n`);
  }

  /** Rows rendered as a table that fits the terminal (no truncation when piped). */
  table(columns: readonly Column[], rows: readonly (readonly unknown[])[]): void {
    const width = this.io.stdout.isTTY ? (this.io.stdout.columns ?? 80) : undefined;
    this.io.stdout.write(renderTable(columns, rows, { width, palette: this.color }));
  }

  /** `key  value` pairs, aligned. */
  fields(pairs: readonly (readonly [string, unknown])[]): void {
    const keyWidth = Math.max(...pairs.map(([key]) => key.length));
    for (const [key, value] of pairs) {
      if (value === undefined) continue;
      this.line(
        `${this.color.bold(key.padEnd(keyWidth))}  ${value === null ? this.color.dim('–') : String(value)}`,
      );
    }
  }
}

/** JSON for values the SDK hands out: bigint as a decimal string, Dates as ISO strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
