import type { Row, RowValue } from '@redivis-ts/arrow';

/** A row as the official client returns it: dates and date-times as `Date`, times as seconds. */
export type CompatRow = Record<string, RowValue | Date>;

/** Options of the facade's `listRows`, beyond the official `maxResults` and `variables`. */
export interface CompatRowOptions {
  /** Variables to read (case-insensitive); default all. */
  variables?: string[];
  /** At most this many rows; `0` reads none (the official client reads every row for `0`). */
  maxResults?: number;
  /**
   * Keep `dateTime` values as exact ISO strings (`YYYY-MM-DDTHH:MM:SS.ffffff`) instead of `Date`s, which hold only
   * milliseconds.
   * @default false
   */
  preciseDateTimes?: boolean;
  /**
   * Told once per call when a `dateTime` value loses its microseconds to a `Date`.
   * @default console.warn
   */
  onPrecisionLoss?: (message: string) => void;
}

const DATE_TIME = /^(.*T\d\d:\d\d:\d\d)\.(\d{3})(\d{3})$/;
const TIME = /^(\d\d):(\d\d):(\d\d)\.(\d{6})$/;

/**
 * Convert rows read by `redivis-ts` (temporal values as exact ISO strings) to the official client's shapes:
 * `date` → `Date` at UTC midnight, `dateTime` → `Date` (UTC), `time` → seconds since midnight as a number.
 * Integers are already numbers (an integer beyond 2^53 throws `UnsafeIntegerError` instead of losing digits).
 */
export function toCompatRows(
  rows: Row[],
  types: ReadonlyMap<string, string>,
  options: CompatRowOptions = {},
): CompatRow[] {
  const convert: [string, (v: string) => RowValue | Date][] = [];
  let lostIn: string | undefined;
  const first = rows[0];
  if (!first) return rows;
  for (const name of Object.keys(first)) {
    const type = types.get(name.toLowerCase());
    if (type === 'date') convert.push([name, (v) => new Date(`${v}T00:00:00.000Z`)]);
    else if (type === 'time') convert.push([name, timeSeconds]);
    else if (type === 'dateTime' && !options.preciseDateTimes) {
      convert.push([
        name,
        (v) => {
          const m = DATE_TIME.exec(v);
          if (!m) return new Date(`${v}Z`);
          if (m[3] !== '000') lostIn ??= name;
          return new Date(`${m[1]}.${m[2]}Z`);
        },
      ]);
    }
  }
  if (convert.length === 0) return rows;
  for (const row of rows) {
    const out = row as CompatRow;
    for (const [name, fn] of convert) {
      const value = out[name];
      if (typeof value === 'string') out[name] = fn(value);
    }
  }
  if (lostIn !== undefined) {
    const warn = options.onPrecisionLoss ?? ((message: string) => console.warn(message));
    warn(
      `redivis-ts/compat: values of dateTime variable "${lostIn}" have microseconds that a Date cannot hold; ` +
        'pass { preciseDateTimes: true } to listRows to get exact ISO strings.',
    );
  }
  return rows;
}

function timeSeconds(value: string): number | string {
  const m = TIME.exec(value);
  if (!m) return value;
  const micros = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + Number(m[4]);
  return micros / 1e6;
}

/** Lower-cased variable name → Redivis type, for {@link toCompatRows}. */
export function typeMap(
  variables: readonly { name: string; type?: string | undefined }[],
): Map<string, string> {
  return new Map(variables.map((v) => [v.name.toLowerCase(), v.type ?? '']));
}
