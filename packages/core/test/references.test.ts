import { describe, expect, it } from 'vitest';
import { InvalidReferenceError } from '../src/errors/index.js';
import {
  formatDatasetReference,
  formatSqlTableReference,
  formatTableReference,
  formatWorkflowReference,
  parseDatasetReference,
  parseSqlTableReference,
  parseTableReference,
  parseWorkflowReference,
} from '../src/references/index.js';

/** Every reference string the specs show, with what it must parse to. */
describe('parseDatasetReference on the spec examples', () => {
  it.each([
    [
      'demo.ghcn_daily_weather_data:v1_1:7br5',
      { owner: 'demo', name: 'ghcn_daily_weather_data', version: 'v1_1', referenceId: '7br5' },
    ],
    ['imathews.ian_s_dataset:123', { owner: 'imathews', name: 'ian_s_dataset', referenceId: '123' }],
    [
      'imathews.ian_s_dataset:123:v1_0',
      { owner: 'imathews', name: 'ian_s_dataset', referenceId: '123', version: 'v1_0' },
    ],
    ['imathews.ghcn precipitation', { owner: 'imathews', name: 'ghcn precipitation' }],
    [
      'demo.cms_2014_medicare_data:349j',
      { owner: 'demo', name: 'cms_2014_medicare_data', referenceId: '349j' },
    ],
    ['demo.iris_species:sample', { owner: 'demo', name: 'iris_species', sample: true }],
    ['demo.iris_species:current', { owner: 'demo', name: 'iris_species', version: 'current' }],
    ['demo.iris_species:next', { owner: 'demo', name: 'iris_species', version: 'next' }],
    ['Demo.Iris species', { owner: 'Demo', name: 'Iris species' }],
    // grammar order name:id:sample:version and the documented name:version:id order both work
    [
      'demo.ds:7br5:sample:v2_3',
      { owner: 'demo', name: 'ds', referenceId: '7br5', sample: true, version: 'v2_3' },
    ],
    [
      'demo.ds:v2_3:sample:7br5',
      { owner: 'demo', name: 'ds', referenceId: '7br5', sample: true, version: 'v2_3' },
    ],
    [
      'demo.ds:sample:7br5:NEXT',
      { owner: 'demo', name: 'ds', referenceId: '7br5', sample: true, version: 'next' },
    ],
    // dotted versions as in version paths
    ['demo.ds:v1.0', { owner: 'demo', name: 'ds', version: 'v1_0' }],
    ['demo.ds:1.0', { owner: 'demo', name: 'ds', version: 'v1_0' }],
    ['demo.ds:1.0:7br5', { owner: 'demo', name: 'ds', version: 'v1_0', referenceId: '7br5' }],
    ['demo.ds:7br5:v10.02', { owner: 'demo', name: 'ds', referenceId: '7br5', version: 'v10_2' }],
    ['`demo.iris_species:v1_0`', { owner: 'demo', name: 'iris_species', version: 'v1_0' }],
    ['`demo`.`iris_species`', { owner: 'demo', name: 'iris_species' }],
  ])('%s', (input, expected) => {
    expect(parseDatasetReference(input)).toStrictEqual(expected);
  });

  it('uses defaultOwner for scoped references (scopedReference, REDIVIS_DEFAULT_USER)', () => {
    expect(
      parseDatasetReference('ghcn_daily_weather_data:v1_1:7br5', { defaultOwner: 'demo' }),
    ).toStrictEqual({
      owner: 'demo',
      name: 'ghcn_daily_weather_data',
      version: 'v1_1',
      referenceId: '7br5',
    });
    // members.list hasDataAccessToAll takes comma-separated scoped references
    const refs = 'test_dataset:1,other_dataset:2'
      .split(',')
      .map((s) => parseDatasetReference(s, { defaultOwner: 'o' }));
    expect(refs.map((r) => r.referenceId)).toEqual(['1', '2']);
    expect(parseDatasetReference('ds:v1.0', { defaultOwner: 'o' })).toStrictEqual({
      owner: 'o',
      name: 'ds',
      version: 'v1_0',
    });
    // an explicit owner wins over the default
    expect(parseDatasetReference('demo.ds', { defaultOwner: 'other' }).owner).toBe('demo');
  });
});

describe('parseWorkflowReference', () => {
  it('parses the spec example and scoped forms', () => {
    expect(parseWorkflowReference('imathews.example_workflow_climate_analysis:x7kh')).toStrictEqual({
      owner: 'imathews',
      name: 'example_workflow_climate_analysis',
      referenceId: 'x7kh',
    });
    expect(parseWorkflowReference('my_workflow', { defaultOwner: 'me' })).toStrictEqual({
      owner: 'me',
      name: 'my_workflow',
    });
  });

  it.each(['me.wf:v1_0', 'me.wf:sample', 'me.wf:current'])('rejects dataset-only suffixes in %s', (input) => {
    expect(() => parseWorkflowReference(input)).toThrow(/cannot carry/);
  });
});

describe('parseTableReference on the spec examples', () => {
  it.each([
    [
      'imathews.ian_s_dataset:123:v1_0.test_table:3',
      {
        owner: 'imathews',
        parent: { name: 'ian_s_dataset', referenceId: '123', version: 'v1_0' },
        name: 'test_table',
        referenceId: '3',
      },
    ],
    [
      'demo.cms_2014_medicare_data:349j.physicians_and_other_supplier:kn00',
      {
        owner: 'demo',
        parent: { name: 'cms_2014_medicare_data', referenceId: '349j' },
        name: 'physicians_and_other_supplier',
        referenceId: 'kn00',
      },
    ],
    [
      'imathews.example:123.test:456',
      {
        owner: 'imathews',
        parent: { name: 'example', referenceId: '123' },
        name: 'test',
        referenceId: '456',
      },
    ],
    [
      'owner.Iris species:v1_0.tbl:kn00',
      { owner: 'owner', parent: { name: 'Iris species', version: 'v1_0' }, name: 'tbl', referenceId: 'kn00' },
    ],
    ['demo.dataset.table', { owner: 'demo', parent: { name: 'dataset' }, name: 'table' }],
    ['demo.iris_species.iris', { owner: 'demo', parent: { name: 'iris_species' }, name: 'iris' }],
    ['owner.workflow.notebook', { owner: 'owner', parent: { name: 'workflow' }, name: 'notebook' }],
    ['dataset.table', { parent: { name: 'dataset' }, name: 'table' }],
    [
      'ds:v1_0:sample.t:ab12',
      { parent: { name: 'ds', version: 'v1_0', sample: true }, name: 't', referenceId: 'ab12' },
    ],
    ['table', { name: 'table' }],
    ['table:kn00', { name: 'table', referenceId: 'kn00' }],
    // JS client puts :sample after the table name
    [
      'demo.iris_species:current.iris:sample',
      {
        owner: 'demo',
        parent: { name: 'iris_species', version: 'current', sample: true },
        name: 'iris',
      },
    ],
    // dotted versions (version paths) in every position
    ['demo.ds:v1.0.t', { owner: 'demo', parent: { name: 'ds', version: 'v1_0' }, name: 't' }],
    [
      'demo.ds:7br5:v1.10.t:x1',
      {
        owner: 'demo',
        parent: { name: 'ds', referenceId: '7br5', version: 'v1_10' },
        name: 't',
        referenceId: 'x1',
      },
    ],
    ['ds:v1.0.t', { parent: { name: 'ds', version: 'v1_0' }, name: 't' }],
    ['demo.ds:1.0.t', { owner: 'demo', parent: { name: 'ds', version: 'v1_0' }, name: 't' }],
    // plain reading first: ds has reference id 123, table "2019_t"
    ['demo.ds:123.2019_t', { owner: 'demo', parent: { name: 'ds', referenceId: '123' }, name: '2019_t' }],
    // a reading without re-joining wins when it is valid: ds has reference id v1, table "0"
    ['demo.ds:v1.0', { owner: 'demo', parent: { name: 'ds', referenceId: 'v1' }, name: '0' }],
  ])('%s', (input, expected) => {
    expect(parseTableReference(input)).toStrictEqual(expected);
  });

  it('accepts SQL backtick quoting of the whole reference or of each part', () => {
    const expected = { owner: 'demo', parent: { name: 'iris_species', version: 'v1_0' }, name: 'iris' };
    expect(parseSqlTableReference('`demo.iris_species:v1_0.iris`')).toStrictEqual(expected);
    expect(parseSqlTableReference('`demo`.`iris_species:v1_0`.`iris`')).toStrictEqual(expected);
    expect(parseSqlTableReference('`demo.iris_species:v1_0`.iris')).toStrictEqual(expected);
    expect(parseSqlTableReference('demo.`iris_species:v1_0`.`iris`')).toStrictEqual(expected);
    expect(formatSqlTableReference(expected)).toBe('`demo.iris_species:v1_0.iris`');
  });
});

describe('invalid references name the bad part', () => {
  it.each([
    ['', 'table reference', /table name is empty/],
    ['a.b.c.d', 'table reference', /at most 3 dot-separated parts.*found 4/],
    ['my-org.ds.t', 'table reference', /owner "my-org"/],
    ['demo:x.ds.t', 'table reference', /owner "demo:x"/],
    ['demo..t', 'table reference', /dataset or workflow name is empty/],
    ['demo.ds.', 'table reference', /table name is empty/],
    ['demo.ds:.t', 'table reference', /empty ":" suffix/],
    ['demo.ds:v1_0:v2_0.t', 'table reference', /two versions/],
    ['demo.ds:ab:cd.t', 'table reference', /two reference ids/],
    ['demo.ds.t:v1_0', 'table reference', /table "t" cannot carry a version/],
    ['t:sample', 'table reference', /":sample" needs a dataset/],
    ['`demo.ds.t', 'table reference', /never closed/],
    ['demo.d`s.t', 'table reference', /only open at the start of a part/],
    ['`demo`x.ds.t', 'table reference', /closing backtick must end a part/],
  ])('%j', (input, what, reason) => {
    const err = catchError(() => parseTableReference(input));
    expect(err).toBeInstanceOf(InvalidReferenceError);
    expect(err.message).toContain(`Invalid ${what} ${JSON.stringify(input)}`);
    expect(err.message).toMatch(reason);
    expect((err as InvalidReferenceError).input).toBe(input);
  });

  it.each([
    ['iris_species', /no owner given/],
    ['a.b.c', /found 3 dot-separated parts/],
    ['my org.ds', /owner "my org"/],
    ['demo.:v1_0', /dataset name is empty/],
    ['demo.ds:v1.0.x', /found 3/],
    // A reference id is base-36: text after ":" that is not one is refused, never kept as an id or dropped.
    [
      'demo.Census dataset: 1940-1980',
      /": 1940-1980" after the dataset "Census dataset" is neither a version/,
    ],
    ['demo.ds:1940-1980', /neither a version, "sample" nor a reference id/],
  ])('dataset %j', (input, reason) => {
    const err = catchError(() => parseDatasetReference(input));
    expect(err).toBeInstanceOf(InvalidReferenceError);
    expect(err.message).toMatch(reason);
  });

  it('rejects an invalid defaultOwner and non-string input from untyped callers', () => {
    expect(() => parseDatasetReference('ds', { defaultOwner: 'bad owner' })).toThrow(
      /defaultOwner "bad owner"/,
    );
    for (const bad of [undefined, null, 42, {}]) {
      expect(() => parseTableReference(bad as unknown as string)).toThrow(InvalidReferenceError);
      expect(() => parseDatasetReference(bad as unknown as string)).toThrow(/expected a string/);
    }
  });

  it('shortens a huge input in the message but keeps it whole on the error', () => {
    const input = `${'x'.repeat(1000)}.a.b.c`;
    const err = catchError(() => parseTableReference(input)) as InvalidReferenceError;
    expect(err.message.length).toBeLessThan(300);
    expect(err.input).toBe(input);
  });
});

describe('formatting', () => {
  it('writes dataset suffixes as name:version:referenceId:sample, normalising the version', () => {
    expect(
      formatDatasetReference({
        owner: 'demo',
        name: 'ghcn_daily_weather_data',
        version: 'v1.1',
        referenceId: '7br5',
      }),
    ).toBe('demo.ghcn_daily_weather_data:v1_1:7br5');
    expect(formatDatasetReference({ owner: 'demo', name: 'ds', sample: true, version: '2.0' })).toBe(
      'demo.ds:v2_0:sample',
    );
    expect(
      formatDatasetReference(
        { owner: 'demo', name: 'ghcn_daily_weather_data', version: 'v1_1', referenceId: '7br5' },
        {
          scoped: true,
        },
      ),
    ).toBe('ghcn_daily_weather_data:v1_1:7br5');
    expect(formatWorkflowReference({ owner: 'imathews', name: 'wf', referenceId: 'x7kh' })).toBe(
      'imathews.wf:x7kh',
    );
    expect(formatWorkflowReference({ owner: 'imathews', name: 'wf' }, { scoped: true })).toBe('wf');
  });

  it('escapes names that contain ".", ":" or a backtick and keeps other raw names', () => {
    expect(formatDatasetReference({ owner: 'o', name: 'Census dataset: 1940-1980' })).toBe(
      'o.census_dataset_1940_1980',
    );
    expect(formatDatasetReference({ owner: 'o', name: 'Iris species' })).toBe('o.Iris species');
    expect(formatTableReference({ owner: 'o', parent: { name: 'a.b' }, name: 'x`y' })).toBe('o.a_b.x_y');
  });

  it('formats the three table forms', () => {
    expect(
      formatTableReference({
        owner: 'imathews',
        parent: { name: 'ian_s_dataset', referenceId: '123', version: 'v1_0' },
        name: 'test_table',
        referenceId: '3',
      }),
    ).toBe('imathews.ian_s_dataset:v1_0:123.test_table:3');
    expect(formatTableReference({ parent: { name: 'ds' }, name: 't' })).toBe('ds.t');
    expect(formatTableReference({ name: 't', referenceId: 'kn00' })).toBe('t:kn00');
  });

  it.each([
    [() => formatDatasetReference({ owner: 'bad owner', name: 'x' }), /owner/],
    [() => formatDatasetReference({ owner: 'o', name: '' }), /names cannot be empty/],
    [() => formatDatasetReference({ owner: 'o', name: '...' }), /no letters or digits/],
    [() => formatDatasetReference({ owner: 'o', name: 'x', version: 'latest' }), /version tag/],
    [
      () => formatDatasetReference({ owner: 'o', name: 'x', referenceId: 'v1_0' }),
      /would be read as a version/,
    ],
    [
      () => formatDatasetReference({ owner: 'o', name: 'x', referenceId: 'a:b' }),
      /only ASCII letters and digits/,
    ],
    [() => formatTableReference({ owner: 'o', name: 't' }), /owner needs a dataset/],
    [() => formatTableReference({ name: 't', referenceId: 'sample' }), /would be read/],
  ])('rejects unformattable input %#', (fn, reason) => {
    const err = catchError(fn);
    expect(err).toBeInstanceOf(InvalidReferenceError);
    expect(err.message).toMatch(reason);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}
