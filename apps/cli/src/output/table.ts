import Table from 'cli-table3';
import { type Palette, stripAnsi } from './colors.js';
import { formatCell, MAX_CELL_WIDTH } from './format.js';

/** A column of a rendered table. */
export interface Column {
  header: string;
  /** Numbers read best right-aligned. @default 'left' */
  align?: 'left' | 'right';
}

/** Options of {@link renderTable}. */
export interface RenderOptions {
  /** Terminal width to fit; `undefined` (piped) cuts only cells longer than {@link MAX_CELL_WIDTH}. */
  width: number | undefined;
  palette: Palette;
}

// cli-table3 adds one space of padding each side of a cell and one border character per column plus one.
const PADDING = 2;
const MIN_WIDTH = 3;

/**
 * Render rows as a bordered table whose columns shrink (widest first) until the whole table fits the terminal;
 * cells that no longer fit end in `…`.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly unknown[])[],
  options: RenderOptions,
): string {
  const { palette } = options;
  const cells = rows.map((row) => columns.map((_, j) => formatCell(row[j], palette)));
  const natural = columns.map((column, j) =>
    Math.min(
      MAX_CELL_WIDTH,
      Math.max(column.header.length, ...cells.map((row) => stripAnsi(row[j] ?? '').length)),
    ),
  );
  const widths = fitWidths(natural, options.width);
  const table = new Table({
    head: columns.map((c) => palette.bold(c.header)),
    colWidths: widths.map((w) => w + PADDING),
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: false,
    truncate: '…',
    style: { head: [], border: [], compact: true },
  });
  for (const row of cells) table.push(row);
  return `${table.toString()}\n`;
}

/** Shrink the widest column, one character at a time, until the table fits `width` (or nothing can shrink). */
export function fitWidths(natural: readonly number[], width: number | undefined): number[] {
  const widths = [...natural];
  if (width === undefined) return widths;
  const total = () => widths.reduce((sum, w) => sum + w + PADDING + 1, 1);
  while (total() > width) {
    let widest = 0;
    for (let j = 1; j < widths.length; j++) if ((widths[j] ?? 0) > (widths[widest] ?? 0)) widest = j;
    if ((widths[widest] ?? 0) <= MIN_WIDTH) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}
