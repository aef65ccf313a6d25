import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDateTimeParts,
  formatTime,
  formatTimeParts,
  parseDate,
  parseDateTime,
  parseTime,
} from '../src/temporal.js';

/** Reference through Date (valid for years 0000–9999). */
const viaDate = (ms: number) => new Date(ms).toISOString();

describe('temporal formatting', () => {
  it('formatDate agrees with Date for every day from 0001 to 9999 (sampled) and round-trips parseDate', () => {
    const first = -719_162; // 0001-01-01
    const last = 2_932_896; // 9999-12-31
    for (let days = first; days <= last; days += 97) {
      const text = formatDate(days);
      expect(text).toBe(viaDate(days * 86_400_000).slice(0, 10));
      expect(parseDate(text)).toBe(days);
    }
    expect(formatDate(2_932_897)).toBe('+010000-01-01');
  });

  it('formatDateTime keeps microseconds on both sides of the epoch and past the safe-number range', () => {
    expect(formatDateTime(0n)).toBe('1970-01-01T00:00:00.000000');
    expect(formatDateTime(-1n)).toBe('1969-12-31T23:59:59.999999');
    expect(formatDateTime(1_609_459_200_123_456n)).toBe('2021-01-01T00:00:00.123456');
    // Seeded by the suite (scripts/test/fast-check-seed.ts): a failure prints the value and replays.
    fc.assert(
      fc.property(fc.bigInt({ min: -8_600_000_000_000_000n, max: 8_600_000_000_000_000n }), (micros) => {
        const text = formatDateTime(micros);
        const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
        expect(text.slice(0, 23)).toBe(viaDate(ms).slice(0, 23));
        expect(parseDateTime(text)).toBe(micros);
      }),
      { numRuns: 2000 },
    );
    // Beyond 2^53 µs (year 2255) the exact bigint path is used.
    const far = 9_007_199_254_740_993n;
    expect(formatDateTime(far)).toBe('2255-06-05T23:47:34.740993');
    expect(parseDateTime(formatDateTime(far))).toBe(far);
  });

  it('formatDateTimeParts and formatTimeParts write what formatDateTime and formatTime do, days sharing a cache slot included', () => {
    const DAY = 86_400_000_000;
    // Days 4,096 apart share a slot of the digit cache; years outside 0000–9999 take the signed form.
    const days = [
      0,
      -1,
      4096,
      -4097,
      16_436,
      16_436 + 4096,
      20_000,
      -719_162,
      2_932_896,
      2_932_897,
      -719_163,
    ];
    const times = [
      0,
      1,
      999_999,
      1_000_000,
      43_200_000_001,
      DAY - 1,
      3_600_000_000 * 13 + 60_000_000 * 7 + 42,
    ];
    for (const day of days) {
      for (const us of times) {
        const second = Math.floor(us / 1_000_000);
        const fraction = us - second * 1_000_000;
        expect(formatDateTimeParts(day, second, fraction)).toBe(
          formatDateTime(BigInt(day) * BigInt(DAY) + BigInt(us)),
        );
        // Again, now that the day is cached.
        expect(formatDateTimeParts(day, second, fraction)).toBe(
          formatDateTime(BigInt(day) * BigInt(DAY) + BigInt(us)),
        );
        expect(formatTimeParts(second, fraction)).toBe(formatTime(BigInt(us)));
      }
    }
    expect(formatDateTimeParts(16_436, 45_296, 789)).toBe('2015-01-01T12:34:56.000789');
    expect(formatDateTimeParts(2_932_897, 0, 0)).toBe('+010000-01-01T00:00:00.000000');
  });

  it('formatTime and parseTime', () => {
    expect(formatTime(0n)).toBe('00:00:00.000000');
    expect(formatTime(86_399_999_999n)).toBe('23:59:59.999999');
    expect(parseTime('12:34:56.000001')).toBe(45_296_000_001n);
    expect(parseTime('12:34')).toBe(45_240_000_000n);
    expect(parseTime('24:00:00')).toBeUndefined();
    expect(parseDate('2023-02-29')).toBeUndefined();
    expect(parseDateTime('2020-01-01 00:00:00.5Z')).toBe(1_577_836_800_500_000n);
  });
});
