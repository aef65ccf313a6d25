import type { Palette } from './colors.js';

/** Longest text shown in one table cell before it is cut with an ellipsis (the full value is in --json / csv). */
export const MAX_CELL_WIDTH = 60;

/**
 * One value as table text: `null` dimmed, numbers as they are, bigints exactly, dates and times in the ISO forms
 * the SDK hands out, objects as compact JSON, and line breaks shown as `⏎` so a row stays one line.
 */
export function formatCell(value: unknown, palette: Palette): string {
  if (value === null || value === undefined) return palette.dim('null');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (typeof value === 'string') return value.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}` : v));
  return String(value);
}

/** A timestamp (ms since the epoch, or ISO text) as `YYYY-MM-DD HH:MM` UTC; `null` when absent. */
export function formatTimestamp(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = new Date(typeof value === 'number' ? value : String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A count with thousands separators. */
export function formatCount(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n.toLocaleString('en-US') : String(value);
}

/** Bytes as B, kB, MB, GB (powers of 1000, as disks and networks count). */
export function formatBytes(bytes: unknown): string | null {
  if (bytes === null || bytes === undefined) return null;
  let n = Number(bytes);
  if (!Number.isFinite(n)) return String(bytes);
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let unit = 0;
  while (n >= 1000 && unit < units.length - 1) {
    n /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? n : n.toFixed(1)} ${units[unit]}`;
}

/** A statistic (number or text) rounded for display. */
export function formatStatistic(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return Number(value.toPrecision(6)).toString();
  }
  return String(value);
}
