/** ANSI styles, or identity functions when colour is off (`--no-color`, `NO_COLOR`, or output not a terminal). */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const ON: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
};
const same = (text: string) => text;
const OFF: Palette = { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };

/** The palette for one stream: colour only on a TTY, unless disabled or forced by the usual variables. */
export function paletteFor(
  isTTY: boolean | undefined,
  env: Record<string, string | undefined>,
  colorFlag: boolean,
): Palette {
  if (!colorFlag || env.NO_COLOR !== undefined) return OFF;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return ON;
  return isTTY ? ON : OFF;
}

/** Strip ANSI escapes (for width arithmetic). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
