import { describe, expect, it } from 'vitest';
import { InvalidReferenceError } from '../src/errors/index.js';
import {
  compareVersionTags,
  decodePathSegment,
  encodePathSegment,
  escapeName,
  nameProblem,
  formatVersionTag,
  isValidOwnerName,
  isVersionSuffix,
  namesMatch,
  normalizeVersionTag,
  parseOwnerName,
  parseUploadReference,
  parseVersionNumber,
  path,
  referenceIdFromUrl,
  uploadNameToPath,
  versionTagToPath,
} from '../src/references/index.js';

describe('escapeName / namesMatch', () => {
  it.each([
    ['Census dataset: 1940-1980', 'census_dataset_1940_1980'],
    ['~~Leading and trailing characters.', 'leading_and_trailing_characters'],
    ['Iris species', 'iris_species'],
    ['a__b', 'a_b'],
    ['__x__', 'x'],
    ['Données 2020', 'données_2020'],
    ['日本語テーブル', '日本語テーブル'],
    ['Ünïcode – Straße', 'ünïcode_straße'],
    ['data.csv', 'data_csv'],
    ['!!!', ''],
  ])('%j → %j', (raw, escaped) => {
    expect(escapeName(raw)).toBe(escaped);
  });

  it('matches raw and escaped forms case-insensitively', () => {
    expect(namesMatch('Iris species', 'iris_species')).toBe(true);
    expect(namesMatch('IRIS-SPECIES', 'iris species')).toBe(true);
    expect(namesMatch('data.csv', uploadNameToPath('data.csv'))).toBe(true);
    expect(namesMatch('iris', 'iris2')).toBe(false);
  });
});

describe('nameProblem (the one name rule)', () => {
  it.each([
    'Iris species',
    '日本語テーブル',
    'données',
    'x',
    '_1',
    'Census dataset: 1940-1980',
  ])('accepts %j', (n) => {
    expect(nameProblem(n)).toBeUndefined();
  });
  it.each([
    ['!!!', 'needs at least one letter or digit'],
    ['', 'needs at least one letter or digit'],
    ['a\u0000b', 'contains U+0000'],
    ['a\nb', 'contains U+000A'],
    ['evil\u202Etxt.exe', 'contains U+202E'],
    ['x\u2066y', 'contains U+2066'],
    ['x\u200Fy', 'contains U+200F'],
    ['x\uD800y', 'contains U+D800'],
  ])('refuses %j: %s', (n, problem) => {
    expect(nameProblem(n)).toContain(problem);
  });
});

describe('owner names', () => {
  it('accepts [A-Za-z0-9_]+ only', () => {
    expect(parseOwnerName('Demo_1')).toBe('Demo_1');
    expect(isValidOwnerName('imathews')).toBe(true);
    for (const bad of ['', 'my-org', 'a.b', 'é', 'a b']) {
      expect(isValidOwnerName(bad)).toBe(false);
      expect(() => parseOwnerName(bad)).toThrow(InvalidReferenceError);
    }
  });
});

describe('version tags', () => {
  it.each([
    ['1.0', 'v1_0', 'v1.0'],
    ['v1.0', 'v1_0', 'v1.0'],
    ['v1_0', 'v1_0', 'v1.0'],
    ['V12_03', 'v12_3', 'v12.3'],
    ['1_0', 'v1_0', 'v1.0'],
    ['current', 'current', 'current'],
    ['Next', 'next', 'next'],
  ])('%s → %s (path %s)', (input, normal, inPath) => {
    expect(normalizeVersionTag(input)).toBe(normal);
    expect(versionTagToPath(input)).toBe(inPath);
  });

  it.each(['', 'v1', 'latest', 'v1_0_0', 'v.1', 'va_b', ' v1_0'])('rejects %j', (bad) => {
    expect(() => normalizeVersionTag(bad)).toThrow(InvalidReferenceError);
  });

  it('classifies suffixes by pattern: a bare 1_0 is a reference id, v1_0 a version', () => {
    expect(isVersionSuffix('v1_0')).toBe(true);
    expect(isVersionSuffix('v1.0')).toBe(true);
    expect(isVersionSuffix('CURRENT')).toBe(true);
    expect(isVersionSuffix('1.0')).toBe(true);
    expect(isVersionSuffix('1_0')).toBe(false);
    expect(isVersionSuffix('7br5')).toBe(false);
  });

  it('reads, builds and orders version numbers', () => {
    expect(parseVersionNumber('v2.10')).toEqual({ major: 2, minor: 10 });
    expect(formatVersionTag({ major: 2, minor: 10 })).toBe('v2_10');
    expect(formatVersionTag({ major: 2, minor: 10 }, 'path')).toBe('v2.10');
    expect(['v1_10', 'v1.2', '2.0', 'v0_9'].sort(compareVersionTags)).toEqual([
      'v0_9',
      'v1.2',
      'v1_10',
      '2.0',
    ]);
    expect(() => parseVersionNumber('next')).toThrow(/alias/);
    expect(() => parseVersionNumber('v99999999999999999999_0')).toThrow(/too large/);
    expect(() => formatVersionTag({ major: -1, minor: 0 })).toThrow(InvalidReferenceError);
  });
});

describe('encodePathSegment (Python quote(safe="") semantics)', () => {
  it.each([
    ['owner.Iris species:v1_0.tbl:kn00', 'owner.Iris%20species%3Av1_0.tbl%3Akn00'],
    ['demo.iris_species', 'demo.iris_species'],
    ['a/b', 'a%2Fb'],
    ["!'()*~-_.", '%21%27%28%29%2A~-_.'],
    ['ümlaut', '%C3%BCmlaut'],
    ['😀', '%F0%9F%98%80'],
    ['%', '%25'],
  ])('%j → %j', (raw, encoded) => {
    expect(encodePathSegment(raw)).toBe(encoded);
    expect(decodePathSegment(encoded)).toBe(raw);
  });

  it('rejects lone surrogates and malformed escapes with InvalidReferenceError', () => {
    expect(() => encodePathSegment('a\uD800b')).toThrow(/lone UTF-16 surrogate/);
    expect(() => decodePathSegment('%E0%A4%A')).toThrow(InvalidReferenceError);
    expect(() => decodePathSegment('%FF')).toThrow(/malformed/);
  });
});

describe('path template tag', () => {
  it('encodes each interpolation as one segment', () => {
    const ref = 'demo.iris_species:v1_0';
    expect(path`/datasets/${ref}/tables`).toBe('/datasets/demo.iris_species%3Av1_0/tables');
    expect(path`/exports/${'a/b'}/download`).toBe('/exports/a%2Fb/download');
    expect(path`/readStreams/${42}`).toBe('/readStreams/42');
  });

  it('refuses empty values, dot segments and non-string values', () => {
    expect(() => path`/tables/${''}/rows`).toThrow(/empty/);
    expect(() => path`/tables/${'..'}/rows`).toThrow(/segment "\.\."/);
    expect(() => path`/tables/${'.'}`).toThrow(InvalidReferenceError);
    expect(() => path`/tables/${Number.NaN}`).toThrow(/finite numbers/);
    expect(() => path`/tables/${{} as unknown as string}`).toThrow(InvalidReferenceError);
  });
});

describe('uploads and URL ids', () => {
  it('parses upload names, splitting only a legacy numeric id', () => {
    expect(parseUploadReference('data.csv')).toStrictEqual({ name: 'data.csv' });
    expect(parseUploadReference('upload_name:789')).toStrictEqual({
      name: 'upload_name',
      referenceId: '789',
    });
    expect(parseUploadReference('a:b.csv')).toStrictEqual({ name: 'a:b.csv' });
    expect(() => parseUploadReference('')).toThrow(/upload name is empty/);
    expect(() => parseUploadReference(':12')).toThrow(/upload name is empty/);
    expect(uploadNameToPath('my.file.csv')).toBe('my_file_csv');
  });

  it('takes the reference id from a URL-style id', () => {
    expect(referenceIdFromUrl('7br5-41440fjzk')).toBe('7br5');
    expect(referenceIdFromUrl('https://redivis.com/datasets/7br5-41440fjzk/tables?x=1#y')).toBe('7br5');
    expect(referenceIdFromUrl('https://redivis.com/workflows/x7kh-abc123/')).toBe('x7kh');
    expect(() => referenceIdFromUrl('demo.iris')).toThrow(/7br5-41440fjzk/);
  });
});
