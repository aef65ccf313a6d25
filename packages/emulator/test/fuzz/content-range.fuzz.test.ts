import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../../src/ingest/chunks.js';

const header = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .tuple(
      fc.constantFrom('bytes ', 'bytes  ', 'Bytes ', 'bytes=', ' bytes '),
      fc.oneof(fc.nat().map(String), fc.constantFrom('*', '-1', '', '01', '9007199254740993', '1e3', '0x10')),
      fc.constantFrom('-', '--', ''),
      fc.oneof(fc.nat().map(String), fc.constantFrom('*', '-1', '', '99999999999999999999')),
      fc.constantFrom('/', '//', ''),
      fc.oneof(fc.nat().map(String), fc.constantFrom('*', '', '-5', '1.5', '99999999999999999999')),
    )
    .map((parts) => parts.join('')),
);

describe('Content-Range of the resumable protocol', () => {
  it('parses to a consistent range of safe integers or to undefined, never throws', () => {
    fc.assert(
      fc.property(header, (value) => {
        const range = parseContentRange(value);
        if (!range) return;
        if (range.total !== null) expect(Number.isSafeInteger(range.total)).toBe(true);
        if (range.kind === 'chunk') {
          expect(Number.isSafeInteger(range.start)).toBe(true);
          expect(Number.isSafeInteger(range.end)).toBe(true);
          expect(range.start).toBeGreaterThanOrEqual(0);
          expect(range.end).toBeGreaterThanOrEqual(range.start - 1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round trips every range a client sends', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.nat({ max: 2 ** 30 }),
        fc.boolean(),
        (start, length, known) => {
          const end = start + length;
          const total = known ? end + 1 : null;
          expect(parseContentRange(`bytes ${start}-${end}/${total ?? '*'}`)).toEqual({
            kind: 'chunk',
            start,
            end,
            total,
          });
          expect(parseContentRange(`bytes */${total ?? '*'}`)).toEqual({ kind: 'query', total });
        },
      ),
    );
  });
});
