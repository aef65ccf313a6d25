import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidReferenceError } from '../src/errors/index.js';
import {
  type DatasetReference,
  decodePathSegment,
  encodePathSegment,
  escapeName,
  formatDatasetReference,
  formatTableReference,
  formatWorkflowReference,
  isVersionSuffix,
  namesMatch,
  normalizeVersionTag,
  parseDatasetReference,
  parseOwnerName,
  parseTableReference,
  parseUploadReference,
  parseWorkflowReference,
  path,
  referenceIdFromUrl,
  type TableReference,
  versionTagToPath,
} from '../src/references/index.js';

const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }, requiredKeys: (keyof T)[]) =>
  fc.record(model, { requiredKeys, noNullPrototype: true }) as unknown as fc.Arbitrary<T>;

const owner = fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/);
/** Raw names: any code points except the three structural characters. */
const rawName = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 16 })
  .map((s) => s.replace(/[.:`]/g, ''))
  .filter((s) => s.length > 0);
const referenceId = fc
  .stringMatching(/^[A-Za-z0-9]{1,8}$/)
  .filter((s) => !isVersionSuffix(s) && !/^sample$/i.test(s));
const version = fc.oneof(
  fc.constantFrom('current', 'next'),
  fc.tuple(fc.nat({ max: 999 }), fc.nat({ max: 999 })).map(([a, b]) => `v${a}_${b}`),
);
const datasetRef = record<DatasetReference>(
  { owner, name: rawName, referenceId, version, sample: fc.constant(true) },
  ['owner', 'name'],
);
const parentRef = record<NonNullable<TableReference['parent']>>(
  { name: rawName, referenceId, version, sample: fc.constant(true) },
  ['name'],
);
const tableRef = fc.oneof(
  record<TableReference>({ owner, parent: parentRef, name: rawName, referenceId }, [
    'owner',
    'parent',
    'name',
  ]),
  record<TableReference>({ parent: parentRef, name: rawName, referenceId }, ['parent', 'name']),
  record<TableReference>({ name: rawName, referenceId }, ['name']),
);

/** Strings built from the characters references are made of, so that many of them parse. */
const referenceLike = fc.string({
  unit: fc.constantFrom(
    '.',
    ':',
    '`',
    'v',
    '1',
    '_',
    '0',
    'a',
    's',
    'ample',
    'sample',
    'current',
    ' ',
    '-',
    'é',
  ),
  maxLength: 24,
});
/** Arbitrary UTF-16, lone surrogates included. */
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), anyUtf16, referenceLike);

function onlyTypedErrors(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    return e instanceof InvalidReferenceError;
  }
}

describe('format ∘ parse round trips', () => {
  it('datasets', () => {
    fc.assert(
      fc.property(datasetRef, (ref) => {
        expect(parseDatasetReference(formatDatasetReference(ref))).toStrictEqual(ref);
        const scoped = formatDatasetReference(ref, { scoped: true });
        expect(parseDatasetReference(scoped, { defaultOwner: ref.owner })).toStrictEqual(ref);
      }),
    );
  });

  it('workflows', () => {
    fc.assert(
      fc.property(
        record<DatasetReference>({ owner, name: rawName, referenceId }, ['owner', 'name']),
        (ref) => {
          expect(parseWorkflowReference(formatWorkflowReference(ref))).toStrictEqual(ref);
        },
      ),
    );
  });

  it('tables in all three forms, also in SQL backticks', () => {
    fc.assert(
      fc.property(tableRef, (ref) => {
        const text = formatTableReference(ref);
        expect(parseTableReference(text)).toStrictEqual(ref);
        expect(parseTableReference(`\`${text}\``)).toStrictEqual(ref);
      }),
    );
  });

  it('versions in any spelling format to the canonical tag', () => {
    const spelled = fc
      .tuple(
        fc.nat({ max: 99 }),
        fc.nat({ max: 99 }),
        fc.constantFrom('', 'v', 'V'),
        fc.constantFrom('.', '_'),
      )
      .map(([a, b, v, sep]) => ({ text: `${v}${a}${sep}${b}`, tag: `v${a}_${b}`, pathTag: `v${a}.${b}` }));
    fc.assert(
      fc.property(spelled, owner, ({ text, tag, pathTag }, o) => {
        expect(normalizeVersionTag(text)).toBe(tag);
        expect(versionTagToPath(text)).toBe(pathTag);
        expect(formatDatasetReference({ owner: o, name: 'd', version: text })).toBe(`${o}.d:${tag}`);
        if (text.startsWith('v') || text.startsWith('V')) {
          expect(parseTableReference(`${o}.d:${text}.t`).parent?.version).toBe(tag);
        }
      }),
    );
  });

  it('names with structural characters come back escaped and still match', () => {
    const name = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 16 })
      .filter((s) => escapeName(s) !== '');
    fc.assert(
      fc.property(owner, name, (o, n) => {
        const parsed = parseDatasetReference(formatDatasetReference({ owner: o, name: n }));
        expect(namesMatch(parsed.name, n)).toBe(true);
      }),
    );
  });

  it('parse ∘ format ∘ parse is stable on every string that parses', () => {
    fc.assert(
      fc.property(referenceLike, (s) => {
        let ref: TableReference;
        try {
          ref = parseTableReference(s);
        } catch {
          return;
        }
        expect(parseTableReference(formatTableReference(ref))).toStrictEqual(ref);
      }),
      { numRuns: 500 },
    );
  });
});

describe('arbitrary input only ever raises InvalidReferenceError', () => {
  const parsers: [string, (s: string) => unknown][] = [
    ['parseDatasetReference', (s) => parseDatasetReference(s)],
    ['parseDatasetReference+defaultOwner', (s) => parseDatasetReference(s, { defaultOwner: 'me' })],
    ['parseWorkflowReference', (s) => parseWorkflowReference(s)],
    ['parseTableReference', (s) => parseTableReference(s)],
    ['parseUploadReference', (s) => parseUploadReference(s)],
    ['parseOwnerName', (s) => parseOwnerName(s)],
    ['normalizeVersionTag', (s) => normalizeVersionTag(s)],
    ['referenceIdFromUrl', (s) => referenceIdFromUrl(s)],
    ['encodePathSegment', (s) => encodePathSegment(s)],
    ['decodePathSegment', (s) => decodePathSegment(s)],
    ['path', (s) => path`/tables/${s}/rows`],
    [
      'formatDatasetReference',
      (s) => formatDatasetReference({ owner: s, name: s, referenceId: s, version: s }),
    ],
    ['formatTableReference', (s) => formatTableReference({ owner: s, parent: { name: s }, name: s })],
  ];
  it.each(parsers)('%s', (_, parse) => {
    fc.assert(
      fc.property(anyString, (s) => onlyTypedErrors(() => parse(s))),
      { numRuns: 400 },
    );
  });
});

describe('percent-encoding and escaping laws', () => {
  /** Independent oracle: Python's quote(s, safe='') over the UTF-8 bytes. */
  const pythonQuote = (s: string) =>
    Array.from(new TextEncoder().encode(s), (b) =>
      /[A-Za-z0-9_.\-~]/.test(String.fromCharCode(b)) && b < 128
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    ).join('');

  it('encodePathSegment equals Python quote(safe="") and decodes back', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), referenceLike), (s) => {
        const encoded = encodePathSegment(s);
        expect(encoded).toBe(pythonQuote(s));
        expect(decodePathSegment(encoded)).toBe(s);
      }),
    );
  });

  it('escapeName is idempotent and yields lower-case words joined by single underscores', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const e = escapeName(s);
        expect(e).toMatch(/^(?:[\p{L}\p{M}\p{N}]+(?:_[\p{L}\p{M}\p{N}]+)*)?$/u);
        expect(e).toBe(e.toLowerCase());
        expect(escapeName(e)).toBe(e);
        expect(namesMatch(s, e)).toBe(true);
      }),
    );
  });
});
