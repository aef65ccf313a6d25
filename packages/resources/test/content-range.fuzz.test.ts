import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../src/download.js';

describe('Content-Range of a ranged download', () => {
  it('parses to a consistent range of safe integers or to undefined, never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc
            .tuple(
              fc.constantFrom('bytes ', 'bytes=', 'Bytes ', ''),
              fc.oneof(fc.nat().map(String), fc.constantFrom('*', '', '99999999999999999999')),
              fc.constantFrom('-', ''),
              fc.oneof(fc.nat().map(String), fc.constantFrom('*', '', '99999999999999999999')),
              fc.constantFrom('/', ''),
              fc.oneof(fc.nat().map(String), fc.constantFrom('*', '', '99999999999999999999')),
            )
            .map((parts) => parts.join('')),
        ),
        (value) => {
          const range = parseContentRange(value);
          if (!range) return;
          expect(Number.isSafeInteger(range.start)).toBe(true);
          expect(Number.isSafeInteger(range.end)).toBe(true);
          expect(range.end).toBeGreaterThanOrEqual(range.start);
          if (range.total !== undefined) {
            expect(Number.isSafeInteger(range.total)).toBe(true);
            expect(range.total).toBeGreaterThan(range.end);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('round trips every range a server sends', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.nat({ max: 2 ** 30 }), fc.nat(), (start, length, extra) => {
        const end = start + length;
        expect(parseContentRange(`bytes ${start}-${end}/${end + 1 + extra}`)).toEqual({
          start,
          end,
          total: end + 1 + extra,
        });
      }),
    );
  });
});
