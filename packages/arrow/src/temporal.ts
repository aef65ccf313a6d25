/**
 * Exact conversions between Arrow's integer encodings of dates and times and their ISO-8601 text forms.
 * Microsecond values are bigints so no precision is lost anywhere (a JS Date only holds milliseconds).
 */

const DAY_MS = 86_400_000;
const DAY_US = 86_400_000_000n;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export function formatDate(days: number): string {
  return isoDay(new Date(days * DAY_MS));
}

function isoDay(d: Date): string {
  const y = d.getUTCFullYear();
  const year =
    y >= 0 && y <= 9999
      ? String(y).padStart(4, '0')
      : (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
  return `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Microseconds since the epoch (no time zone) → 'YYYY-MM-DDTHH:MM:SS.ffffff'. */
export function formatDateTime(micros: bigint): string {
  // Floor division so that instants before 1970 keep a positive time of day.
  let days = micros / DAY_US;
  let rest = micros % DAY_US;
  if (rest < 0n) {
    rest += DAY_US;
    days -= 1n;
  }
  return `${isoDay(new Date(Number(days) * DAY_MS))}T${formatTime(rest)}`;
}

/** Microseconds since midnight → 'HH:MM:SS.ffffff'. */
export function formatTime(micros: bigint | number): string {
  const us = Number(micros);
  const fraction = us % 1_000_000;
  const secs = (us - fraction) / 1_000_000;
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return `${pad2(h)}:${pad2(m)}:${pad2(secs % 60)}.${String(fraction).padStart(6, '0')}`;
}

const DATE_RE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** 'YYYY-MM-DD' → days since the epoch, or `undefined` when the text is not a date. */
export function parseDate(text: string): number | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  if (d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return undefined;
  return ms / DAY_MS;
}

/** 'HH:MM[:SS[.fraction]]' → microseconds since midnight, or `undefined`. */
export function parseTime(text: string): bigint | undefined {
  const m = TIME_RE.exec(text.trim());
  if (!m) return undefined;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return undefined;
  const fraction = BigInt((m[4] ?? '').padEnd(6, '0').slice(0, 6));
  return BigInt((h * 3600 + min * 60 + s) * 1_000_000) + fraction;
}

/** 'YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]' (an optional trailing 'Z' is accepted) → epoch microseconds. */
export function parseDateTime(text: string): bigint | undefined {
  const t = text.trim().replace(/Z$/i, '');
  const sep = t.search(/[T ]/);
  const day = parseDate(sep === -1 ? t : t.slice(0, sep));
  if (day === undefined) return undefined;
  const time = sep === -1 ? 0n : parseTime(t.slice(sep + 1));
  if (time === undefined) return undefined;
  return BigInt(day) * DAY_US + time;
}
