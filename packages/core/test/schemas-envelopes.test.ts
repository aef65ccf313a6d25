import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  datasetListSchema,
  datasourceSchema,
  deviceAuthorizationResponseSchema,
  errorBodySchema,
  insertRowsResponseSchema,
  listEnvelopeSchema,
  memberListSchema,
  nestedErrorBodySchema,
  notebookSchema,
  oauthErrorBodySchema,
  oauthTokenResponseSchema,
  parameterSchema,
  rawFileListSchema,
  readSessionSchema,
  secretSchema,
  tableSchema,
  tempUploadListSchema,
  transformSchema,
  variableStatisticsSchema,
} from '../src/schemas/index.js';
import * as ex from './fixtures/resources.js';
import { failingPath } from './helpers/schemas.js';

describe('list envelopes', () => {
  const page = listEnvelopeSchema(z.looseObject({ name: z.string() }));

  it('accepts the documented envelope (memberList example) and the last page', () => {
    const body = { kind: 'memberList', nextPageToken: '...', results: [ex.fullMember] };
    expect(memberListSchema.parse(body)).toEqual(body);
    expect(page.parse({ kind: 'x', results: [], nextPageToken: null }).nextPageToken).toBeNull();
  });

  it('requires the nextPageToken key (the Python client indexes it)', () => {
    expect(failingPath(page, { kind: 'x', results: [] })).toBe('nextPageToken');
  });

  it('turns the integer token of the members-list docs into an opaque string', () => {
    expect(page.parse({ results: [], nextPageToken: 100 }).nextPageToken).toBe('100');
  });

  it('names the failing item and field', () => {
    const body = { results: [{ name: 'a' }, { name: 'b' }, { name: 3 }], nextPageToken: null };
    expect(failingPath(page, body)).toBe('results.2.name');
    const datasets = {
      kind: 'datasetList',
      results: [{ ...ex.fullDataset, owner: null }],
      nextPageToken: null,
    };
    expect(failingPath(datasetListSchema, datasets)).toBe('results.0.owner');
  });
});

describe('auxiliary objects from the spec', () => {
  it('rawFileList (files.post 201 example)', () => {
    const body = {
      kind: 'rawFileList',
      results: [
        { kind: 'rawFile', id: 'str', uri: 'str', url: 'str', name: 'str', md5Hash: 'str', size: 123 },
      ],
    };
    expect(rawFileListSchema.parse(body)).toEqual(body);
  });

  it('tempUploadList (createTempUploads example, size typed as string)', () => {
    const body = {
      kind: 'tempUploadList',
      results: [
        { kind: 'tempUpload', id: 'string', url: 'string', name: 'string', size: 'string', resumable: true },
      ],
    };
    expect(tempUploadListSchema.parse(body)).toEqual(body);
    const noName = { results: [{ id: 'a', url: 'https://storage/x', size: 10, resumable: false }] };
    expect(tempUploadListSchema.parse(noName)).toEqual(noName);
    expect(failingPath(tempUploadListSchema, { results: [{ id: 'a', url: 'u' }] })).toBe(
      'results.0.resumable',
    );
  });

  it('insertRowsResponse (legacy example)', () => {
    const body = {
      kind: 'insertRowsResponse',
      rowsAdded: 0,
      rowsSkipped: 0,
      schemaUpdates: [
        {
          updatedVariables: [{ name: 'str', type: 'str', previousType: 'str' }],
          addedVariables: [{ name: 'str', type: 'str' }],
        },
      ],
    };
    expect(insertRowsResponseSchema.parse(body)).toEqual(body);
  });

  it('read sessions', () => {
    const session = {
      kind: 'readSession',
      id: 'rs1',
      expiresAt: 1_700_021_600_000,
      format: 'arrow',
      streams: [{ kind: 'readStream', id: 'rs1-0', estimatedRows: 75 }, { id: 'rs1-1' }],
      numRows: 150,
    };
    expect(readSessionSchema.parse(session)).toEqual(session);
    expect(failingPath(readSessionSchema, { ...session, numRows: undefined })).toBe('numRows');
    expect(failingPath(readSessionSchema, { ...session, streams: [{ estimatedRows: 1 }] })).toBe(
      'streams.0.id',
    );
  });

  it('variable statistics (numbers, legacy int64 strings, null for strings)', () => {
    const stats = {
      status: 'completed',
      count: 10,
      numDistinct: 3,
      min: '1',
      max: 9,
      mean: null,
      approxMedian: 4.5,
    };
    expect(variableStatisticsSchema.parse(stats)).toEqual(stats);
    expect(variableStatisticsSchema.parse({ status: 'running' })).toEqual({ status: 'running' });
    expect(failingPath(variableStatisticsSchema, { count: 1 })).toBe('status');
  });
});

describe('error bodies and OAuth responses', () => {
  it.each([
    [{ error: { message: 'Not authorized', status: 403 } }],
    [
      {
        error: 'insufficient_scope',
        error_description: 'human readable text',
        scope: 'data.data data.edit',
        amr_values: ['...'],
      },
    ],
    [{ error: 'not_found', error_description: 'Dataset not found', status: 404 }],
    [{ error: 'authorization_pending' }],
  ])('accepts %j', (body) => {
    expect(errorBodySchema.parse(body)).toEqual(body);
  });

  it('tells the two shapes apart and rejects neither-shape bodies', () => {
    expect(oauthErrorBodySchema.safeParse({ error: { message: 'x' } }).success).toBe(false);
    expect(nestedErrorBodySchema.safeParse({ error: 'x' }).success).toBe(false);
    expect(errorBodySchema.safeParse({ message: 'x' }).success).toBe(false);
  });

  it('token responses need access_token, expires_in and expires_at (epoch seconds)', () => {
    const token = {
      access_token: 'eyJ.x.y',
      refresh_token: 'r',
      expires_in: 3600,
      expires_at: 1_700_003_600,
      token_type: 'Bearer',
      scope: 'data.edit',
    };
    expect(oauthTokenResponseSchema.parse(token)).toEqual(token);
    expect(failingPath(oauthTokenResponseSchema, { ...token, expires_at: undefined })).toBe('expires_at');
    expect(failingPath(oauthTokenResponseSchema, { ...token, access_token: '' })).toBe('access_token');
  });

  it('device authorization responses, interval may be null', () => {
    const body = {
      device_code: 'dc',
      user_code: 'ABCD-EFGH',
      verification_uri: 'https://redivis.com/oauth/device',
      verification_uri_complete: 'https://redivis.com/oauth/device?user_code=ABCD-EFGH',
      interval: null,
      expires_in: 600,
    };
    expect(deviceAuthorizationResponseSchema.parse(body)).toEqual(body);
    expect(failingPath(deviceAuthorizationResponseSchema, { device_code: 'dc' })).toBe(
      'verification_uri_complete',
    );
  });
});

describe('workflow extras (client-libraries §0.1, §1.17–1.21)', () => {
  const job = { kind: 'notebookJob', id: 'j1', status: 'running', errorMessage: null };

  it('notebooks and transforms', () => {
    const notebook = {
      kind: 'notebook',
      uri: '/notebooks/imathews.wf.nb',
      name: 'nb',
      qualifiedReference: 'imathews.wf.nb',
      currentJob: job,
      lastRunJob: null,
      referencedTables: [ex.tableBase],
      sourceTable: ex.tableBase,
      outputTable: null,
    };
    expect(notebookSchema.parse(notebook)).toEqual(notebook);
    expect(notebookSchema.parse({ uri: '/notebooks/x' })).toEqual({ uri: '/notebooks/x' });
    const transform = { ...notebook, kind: 'transform', uri: '/transforms/imathews.wf.t', query: 'SELECT 1' };
    expect(transformSchema.parse(transform)).toEqual(transform);
    expect(failingPath(transformSchema, { ...transform, lastRunJob: { id: 'j' } })).toBe('lastRunJob.status');
    expect(failingPath(notebookSchema, { ...notebook, referencedTables: [{ name: 't' }] })).toBe(
      'referencedTables.0.qualifiedReference',
    );
  });

  it('parameters, data sources and secrets', () => {
    const parameter = {
      kind: 'parameter',
      uri: '/workflows/imathews.wf/parameters/p',
      name: 'p',
      values: ['a', 1],
    };
    expect(parameterSchema.parse(parameter)).toEqual(parameter);
    expect(failingPath(parameterSchema, { ...parameter, values: undefined })).toBe('values');
    const source = {
      uri: '/workflows/imathews.wf/dataSources/demo.iris_species',
      id: 'ds1',
      sourceDataset: ex.datasetBase,
      sourceWorkflow: null,
      mappedTables: { 'iris:abcd': 'iris_copy' },
    };
    expect(datasourceSchema.parse(source)).toEqual(source);
    expect(failingPath(datasourceSchema, { ...source, sourceDataset: { name: 'x' } })).toBe(
      'sourceDataset.qualifiedReference',
    );
    expect(secretSchema.parse({ kind: 'secret', name: 'k', value: 'v' }).value).toBe('v');
    expect(failingPath(secretSchema, { name: 'k' })).toBe('value');
  });

  it('a notebook output table is a full table', () => {
    expect(tableSchema.parse({ ...ex.fullTable, container: ex.workflowBase }).container.kind).toBe(
      'workflow',
    );
  });
});
