/**
 * Exact conversions between Arrow's integer encodings of dates and times and their ISO-8601 text forms.
 * Microsecond values are bigints so no precision is lost anywhere (a JS Date only holds milliseconds).
 */

const DAY_US = 86_400_000_000n;
const PAD2 = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));
const pad2 = (n: number) => PAD2[n] ?? String(n);
// Calendar dates repeat a lot within a table; formatting each distinct day once saves most of the work.
const dateCache = new Map<number, string>();
const DATE_CACHE_LIMIT = 100_000;

/** Days since 1970-01-01 → 'YYYY-MM-DD' (proleptic Gregorian, like Arrow and DuckDB). */
export function formatDate(days: number): string {
  const cached = dateCache.get(days);
  if (cached !== undefined) return cached;
  const text = civilDate(days);
  if (dateCache.size >= DATE_CACHE_LIMIT) dateCache.clear();
  dateCache.set(days, text);
  return text;
}

function civilDate(days: number): string {
  // Howard Hinnant's civil_from_days: pure integer arithmetic, no Date allocation (listRows calls this per cell).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const year =
    y >= 0 && y <= 9999
      ? String(y).padStart(4, '0')
      : (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

const SAFE_MICROS = BigInt(Number.MAX_SAFE_INTEGER);
const DAY_US_NUMBER = 86_400_000_000;

/** Microseconds since the epoch (no time zone) → 'YYYY-MM-DDTHH:MM:SS.ffffff'. */
export function formatDateTime(micros: bigint): string {
  if (micros <= SAFE_MICROS && micros >= -SAFE_MICROS) {
    // Within ±285 years of 1970 the value is exact as a double, and Number arithmetic is much cheaper.
    const us = Number(micros);
    const days = Math.floor(us / DAY_US_NUMBER);
    return `${formatDate(days)}T${formatTime(us - days * DAY_US_NUMBER)}`;
  }
  // Floor division so that instants before 1970 keep a positive time of day.
  let days = micros / DAY_US;
  let rest = micros % DAY_US;
  if (rest < 0n) {
    rest += DAY_US;
    days -= 1n;
  }
  return `${formatDate(Number(days))}T${formatTime(rest)}`;
}

/** Microseconds since midnight → 'HH:MM:SS.ffffff'. */
export function formatTime(micros: bigint | number): string {
  const us = Number(micros);
  const fraction = us % 1_000_000;
  const secs = (us - fraction) / 1_000_000;
  const h = Math.floor(secs / 3600);
  const rest = secs - h * 3600;
  const m = Math.floor(rest / 60);
  const f = String(fraction);
  return `${pad2(h)}:${pad2(m)}:${pad2(rest - m * 60)}.${f.length === 6 ? f : '000000'.slice(f.length) + f}`;
}

const D0 = 48; // '0'
const tens = (n: number) => D0 + ((n / 10) | 0);
const ones = (n: number) => D0 + ((n | 0) % 10);

// The eight digits of recent days (YYYYMMDD), direct-mapped by day number: a dateTime reads its date from here with
// no Map lookup and no string access. 4,096 slots (48 KB) hold any run of 11 years without a collision.
const DAY_SLOTS = 4096;
const dayTags = new Int32Array(DAY_SLOTS).fill(-0x8000_0000);
const dayDigits = new Uint8Array(DAY_SLOTS * 8);

/** The slot of `days` in the digit table (filled if needed), or -1 for a year outside 0000–9999. */
function daySlot(days: number): number {
  const slot = days & (DAY_SLOTS - 1);
  if (dayTags[slot] === days) return slot;
  const date = formatDate(days);
  if (date.length !== 10) return -1;
  const at = slot * 8;
  for (let k = 0, d = 0; k < 10; k++) if (k !== 4 && k !== 7) dayDigits[at + d++] = date.charCodeAt(k);
  dayTags[slot] = days;
  return slot;
}

/**
 * {@link formatDateTime} from its parts, all small integers: days since the epoch, the second of the day
 * [0, 86400) and the microseconds [0, 1e6). Callers split the value themselves so that no part is a boxed number:
 * passing microseconds since the epoch (beyond 2^31) to a function allocates a heap number per call. Within years
 * 0000–9999 the text is built in one `String.fromCharCode` call: a flat 26-byte string, where concatenation leaves a
 * tree of partial strings per value that a listRows result would keep alive (three times the memory, and the garbage
 * collector's time with it).
 */
export function formatDateTimeParts(days: number, second: number, fraction: number): string {
  const slot = daySlot(days);
  if (slot < 0) return `${formatDate(days)}T${buildTime(second, fraction)}`;
  const digits = dayDigits;
  const at = slot * 8;
  let secs = second | 0;
  const h = (secs / 3600) | 0;
  secs -= h * 3600;
  const m = (secs / 60) | 0;
  secs -= m * 60;
  return String.fromCharCode(
    digits[at] as number,
    digits[at + 1] as number,
    digits[at + 2] as number,
    digits[at + 3] as number,
    45,
    digits[at + 4] as number,
    digits[at + 5] as number,
    45,
    digits[at + 6] as number,
    digits[at + 7] as number,
    84,
    tens(h),
    ones(h),
    58,
    tens(m),
    ones(m),
    58,
    tens(secs),
    ones(secs),
    46,
    D0 + ((fraction / 100_000) | 0),
    ones((fraction / 10_000) | 0),
    ones((fraction / 1000) | 0),
    ones((fraction / 100) | 0),
    ones((fraction / 10) | 0),
    ones(fraction),
  );
}

// Times of whole seconds (most recorded times) repeat: one string per second of the day, made on first use.
const secondTimes: (string | undefined)[] = new Array(86_400);

/**
 * {@link formatTime} from the second of the day [0, 86400) and the microseconds [0, 1e6) (small integers, see
 * {@link formatDateTimeParts}), as one flat string; times of whole seconds share one string per second.
 */
export function formatTimeParts(second: number, fraction: number): string {
  if (fraction !== 0) return buildTime(second, fraction);
  return secondTimes[second] ?? cacheSecond(second);
}

function cacheSecond(second: number): string {
  const text = buildTime(second, 0);
  secondTimes[second] = text;
  return text;
}

function buildTime(second: number, fraction: number): string {
  let secs = second | 0;
  const h = (secs / 3600) | 0;
  secs -= h * 3600;
  const m = (secs / 60) | 0;
  secs -= m * 60;
  return String.fromCharCode(
    tens(h),
    ones(h),
    58,
    tens(m),
    ones(m),
    58,
    tens(secs),
    ones(secs),
    46,
    D0 + ((fraction / 100_000) | 0),
    ones((fraction / 10_000) | 0),
    ones((fraction / 1000) | 0),
    ones((fraction / 100) | 0),
    ones((fraction / 10) | 0),
    ones(fraction),
  );
}

const DATE_RE = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/** 'YYYY-MM-DD' → days since the epoch, or `undefined` when the text is not a date. */
export function parseDate(text: string): number | undefined {
  const m = DATE_RE.exec(text.trim());
  if (!m) return undefined;
  const [y, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  // Hinnant's days_from_civil (Date.UTC would read years 0–99 as 1900–1999).
  const yy = month <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  // Rejects 2023-02-29 and the like: the day must format back to itself.
  return formatDate(days).endsWith(`-${m[2]}-${m[3]}`) ? days : undefined;
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
