import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  accessSchema,
  datasetBaseSchema,
  datasetListItemSchema,
  datasetSchema,
  exportSchema,
  memberSchema,
  organizationSchema,
  ownerSchema,
  querySchema,
  tableListItemSchema,
  tableSchema,
  uploadListItemSchema,
  uploadSchema,
  userSchema,
  variableSchema,
  versionListItemSchema,
  versionSchema,
  workflowSchema,
} from '../src/schemas/index.js';
import * as ex from './fixtures/resources.js';
import { failingPath } from './helpers/schemas.js';

const without = <T extends object>(obj: T, key: keyof T) => {
  const copy = { ...obj };
  delete copy[key];
  return copy;
};

// Plain loops rather than it.each: vitest formats every each-argument into the title, and a zod schema is too
// large an object graph to print.
describe('the twelve resource definitions accept the spec examples', () => {
  for (const [name, schema, value] of [
    ['dataset (get)', datasetSchema, ex.fullDataset],
    ['dataset (minimal)', datasetSchema, ex.minimalDataset],
    [
      'dataset (list entry without nextVersion)',
      datasetListItemSchema,
      without(ex.fullDataset, 'nextVersion'),
    ],
    ['dataset.base', datasetBaseSchema, ex.datasetBase],
    ['table (get)', tableSchema, ex.fullTable],
    ['table (in a workflow)', tableSchema, { ...ex.fullTable, container: ex.workflowBase }],
    ['table (list entry)', tableListItemSchema, without(without(ex.fullTable, 'container'), 'numBytes')],
    ['variable', variableSchema, ex.fullVariable],
    ['version (get)', versionSchema, ex.fullVersion],
    [
      'version (list entry)',
      versionListItemSchema,
      without(without(ex.fullVersion, 'previousVersion'), 'nextVersion'),
    ],
    ['user', userSchema, ex.userBase],
    ['user (GET /users/me minimal)', userSchema, { name: 'imathews' }],
    ['organization', organizationSchema, ex.orgOwner],
    ['workflow', workflowSchema, ex.fullWorkflow],
    ['member', memberSchema, ex.fullMember],
    ['access', accessSchema, ex.fullAccess],
    ['query', querySchema, ex.fullQuery],
    [
      'query (running)',
      querySchema,
      { ...ex.fullQuery, status: 'running', outputNumRows: null, outputSchema: null },
    ],
    ['upload (get)', uploadSchema, ex.fullUpload],
    ['upload (list entry)', uploadListItemSchema, without(ex.fullUpload, 'errorMessage')],
    ['export', exportSchema, ex.fullExport],
    [
      'export (running)',
      exportSchema,
      { ...ex.fullExport, status: 'running', size: null, fileCount: null, table: null },
    ],
  ] as [string, z.ZodType, unknown][]) {
    it(name, () => {
      // loose objects: nothing is dropped, unknown fields included
      expect(schema.parse(value)).toEqual(value);
    });
  }

  it('keeps unknown fields at every level', () => {
    const parsed = datasetSchema.parse({
      ...ex.fullDataset,
      futureField: { a: 1 },
      owner: { ...ex.orgOwner, logo: 'x.png' },
      geoBBox: { ...ex.geoBBox, crs: 'EPSG:4326' },
    });
    expect(parsed.futureField).toEqual({ a: 1 });
    expect(parsed.owner).toHaveProperty('logo', 'x.png');
    expect(parsed.geoBBox).toHaveProperty('crs', 'EPSG:4326');
  });

  it('accepts the legacy owner shape and tells owners apart by kind', () => {
    expect(ownerSchema.parse({ kind: 'user', name: 'imathews' }).kind).toBe('user');
    expect(ownerSchema.parse({ kind: 'organization', name: 'demo' }).kind).toBe('organization');
  });
});

describe('required fields are the ones the clients read', () => {
  for (const [name, schema, value, field] of [
    ['dataset', datasetSchema, without(ex.fullDataset, 'nextVersion'), 'nextVersion'],
    ['dataset', datasetSchema, without(ex.fullDataset, 'uri'), 'uri'],
    ['dataset', datasetSchema, without(ex.fullDataset, 'qualifiedReference'), 'qualifiedReference'],
    ['dataset', datasetSchema, { ...ex.fullDataset, nextVersion: { tag: 'next' } }, 'nextVersion.datasetUri'],
    ['table', tableSchema, without(ex.fullTable, 'container'), 'container'],
    ['table', tableSchema, without(ex.fullTable, 'numBytes'), 'numBytes'],
    ['table', tableSchema, without(ex.fullTable, 'scopedReference'), 'scopedReference'],
    ['version', versionSchema, without(ex.fullVersion, 'previousVersion'), 'previousVersion'],
    ['version', versionSchema, without(ex.fullVersion, 'datasetUri'), 'datasetUri'],
    ['variable', variableSchema, without(ex.fullVariable, 'type'), 'type'],
    ['member', memberSchema, without(ex.fullMember, 'labels'), 'labels'],
    ['member', memberSchema, { ...ex.fullMember, user: { kind: 'user' } }, 'user.name'],
    ['query', querySchema, without(ex.fullQuery, 'errorMessage'), 'errorMessage'],
    ['query', querySchema, without(ex.fullQuery, 'kind'), 'kind'],
    ['upload', uploadSchema, without(ex.fullUpload, 'status'), 'status'],
    ['upload', uploadSchema, without(ex.fullUpload, 'errorMessage'), 'errorMessage'],
    ['export', exportSchema, without(ex.fullExport, 'percentCompleted'), 'percentCompleted'],
    ['export', exportSchema, { ...ex.fullExport, table: { kind: 'table' } }, 'table.qualifiedReference'],
    ['workflow', workflowSchema, without(ex.fullWorkflow, 'scopedReference'), 'scopedReference'],
    ['access', accessSchema, without(ex.fullAccess, 'accessLevel'), 'accessLevel'],
    ['user', userSchema, {}, 'name'],
  ] as [string, z.ZodType, unknown, string][]) {
    it(`${name} without ${field}`, () => {
      expect(failingPath(schema, value)).toBe(field);
    });
  }

  it('names the owner kind when the discriminator is missing or unknown', () => {
    expect(failingPath(datasetSchema, { ...ex.fullDataset, owner: { name: 'x' } })).toBe('owner.kind');
    expect(failingPath(datasetSchema, { ...ex.fullDataset, owner: { kind: 'team', name: 'x' } })).toBe(
      'owner.kind',
    );
    expect(failingPath(tableSchema, { ...ex.fullTable, container: { ...ex.datasetBase, kind: 'x' } })).toBe(
      'container.kind',
    );
  });
});

describe('types, enums and nullability', () => {
  for (const [name, schema, value, field] of [
    ['timestamps are integer ms', datasetSchema, { ...ex.fullDataset, createdAt: 1.5 }, 'createdAt'],
    [
      'timestamps are not strings',
      datasetSchema,
      { ...ex.fullDataset, updatedAt: '2020-01-01' },
      'updatedAt',
    ],
    [
      'temporalRange is [int, int]',
      datasetSchema,
      { ...ex.fullDataset, temporalRange: [1] },
      'temporalRange.1',
    ],
    ['access levels are an enum', datasetSchema, { ...ex.fullDataset, accessLevel: 'owner' }, 'accessLevel'],
    ['counts are non-negative', tableSchema, { ...ex.fullTable, numRows: -1 }, 'numRows'],
    ['variable types are an enum', variableSchema, { ...ex.fullVariable, type: 'int64' }, 'type'],
    ['query status is an enum', querySchema, { ...ex.fullQuery, status: 'done' }, 'status'],
    ['export format is an enum', exportSchema, { ...ex.fullExport, format: 'xlsx' }, 'format'],
    ['percentCompleted ≤ 100', exportSchema, { ...ex.fullExport, percentCompleted: 101 }, 'percentCompleted'],
    [
      'nested fields are named',
      datasetSchema,
      { ...ex.fullDataset, links: [{ title: 't', url: 1 }] },
      'links.0.url',
    ],
    ['uri is not null', tableSchema, { ...ex.fullTable, uri: null }, 'uri'],
    ['name is not empty', workflowSchema, { ...ex.fullWorkflow, name: '' }, 'name'],
    ['member status is an enum', memberSchema, { ...ex.fullMember, status: 'banned' }, 'status'],
  ] as [string, z.ZodType, unknown, string][]) {
    it(name, () => {
      expect(failingPath(schema, value)).toBe(field);
    });
  }

  it('accepts null where the docs show it', () => {
    expect(() =>
      datasetSchema.parse({ ...ex.fullDataset, doi: null, sampleConfiguration: null, currentVersion: null }),
    ).not.toThrow();
    expect(() =>
      memberSchema.parse({ ...ex.fullMember, approvedAt: null, rejectedAt: null, leftAt: null }),
    ).not.toThrow();
    expect(() =>
      versionSchema.parse({
        ...ex.fullVersion,
        label: null,
        status: null,
        releasedAt: null,
        nextVersion: null,
      }),
    ).not.toThrow();
    expect(() =>
      uploadSchema.parse({
        ...ex.fullUpload,
        delimiter: null,
        quoteCharacter: null,
        escapeCharacter: null,
        errorMessage: null,
      }),
    ).not.toThrow();
    expect(() => organizationSchema.parse({ ...ex.orgOwner, ror: null })).not.toThrow();
    expect(() => userSchema.parse({ ...ex.userBase, orcid: null })).not.toThrow();
    expect(() =>
      workflowSchema.parse({ ...ex.fullWorkflow, study: null, studyAccessLevel: null }),
    ).not.toThrow();
  });

  it('accepts the ids the docs type as integer and the JSON shows as string', () => {
    expect(querySchema.parse({ ...ex.fullQuery, id: 42 }).id).toBe(42);
    expect(tableSchema.parse({ ...ex.fullTable, id: 'abc' }).id).toBe('abc');
    expect(datasetBaseSchema.parse({ ...ex.datasetBase, referenceId: 123 }).referenceId).toBe(123);
  });
});
