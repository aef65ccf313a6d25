// Every representation the emulator serves on the demo seed, list and get, parsed with the schema @redivis-ts/core
// validates it with (the emulator's repr functions are typed against the same schemas): a field renamed, retyped or
// dropped on either side fails here. Walks each list and GETs every item's `uri`.
import {
  accessListSchema,
  datasetListSchema,
  datasetSchema,
  datasourceListSchema,
  datasourceSchema,
  exportSchema,
  memberListSchema,
  memberSchema,
  notebookListSchema,
  notebookSchema,
  organizationSchema,
  parameterListSchema,
  parameterSchema,
  querySchema,
  readSessionSchema,
  tableListSchema,
  tableSchema,
  transformListSchema,
  transformSchema,
  uploadListSchema,
  uploadSchema,
  userSchema,
  variableListSchema,
  variableSchema,
  variableStatisticsSchema,
  versionListSchema,
  versionSchema,
  workflowListSchema,
  workflowSchema,
} from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ADMIN } from './contract-helpers.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 20, rateLimit: false });
});
afterAll(() => emu.stop());

/** GETs (or POSTs `json` to) `path` as the admin and parses the 2xx body with `schema`, naming the path on failure. */
async function parsed<S extends z.ZodType>(schema: S, path: string, json?: unknown): Promise<z.infer<S>> {
  const res = await fetch(`${emu.url}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: `Bearer ${ADMIN}`,
      ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBeLessThan(300);
  const result = schema.safeParse(JSON.parse(text));
  expect(result.success, `${path}: ${result.error?.message}`).toBe(true);
  return result.data as z.infer<S>;
}

/** A path segment for a `uri` the emulator returned (references may hold spaces or quotes). */
const path = (uri: string) =>
  uri
    .split('/')
    .map((s) => encodeURIComponent(decodeURIComponent(s)))
    .join('/');

describe('every representation parses with core’s schema', () => {
  it('datasets, versions, tables, variables, statistics, uploads and access', async () => {
    const datasets = await parsed(datasetListSchema, '/organizations/demo/datasets');
    expect(datasets.results.length).toBeGreaterThanOrEqual(5);
    let tables = 0;
    for (const d of datasets.results) {
      await parsed(datasetSchema, path(d.uri));
      const versions = await parsed(versionListSchema, `${path(d.uri)}/versions`);
      for (const v of versions.results) await parsed(versionSchema, path(v.uri));
      await parsed(accessListSchema, `${path(d.uri)}/access`);
      const list = await parsed(tableListSchema, `${path(d.uri)}/tables`);
      for (const t of list.results) {
        tables++;
        await parsed(tableSchema, path(t.uri));
        const vars = await parsed(variableListSchema, `${path(t.uri)}/variables`);
        for (const v of vars.results.slice(0, 3)) {
          await parsed(variableSchema, path(v.uri));
          await parsed(variableStatisticsSchema, `${path(v.uri)}/statistics`);
        }
        const uploads = await parsed(uploadListSchema, `${path(t.uri)}/uploads`);
        for (const u of uploads.results) {
          await parsed(uploadSchema, path(u.uri));
          const uvars = await parsed(variableListSchema, `${path(u.uri)}/variables`);
          for (const v of uvars.results) await parsed(variableSchema, path(v.uri));
          await parsed(readSessionSchema, `${path(u.uri)}/readSessions`, {});
        }
      }
    }
    expect(tables).toBeGreaterThanOrEqual(6);
    await parsed(datasetListSchema, '/users/demo_admin/datasets');
  });

  it('owners, members, workflows and their nodes, parameters and data sources', async () => {
    await parsed(organizationSchema, '/organizations/demo');
    await parsed(userSchema, '/users/me');
    await parsed(userSchema, '/users/alice');
    const members = await parsed(memberListSchema, '/organizations/demo/members');
    expect(members.results.length).toBeGreaterThanOrEqual(3);
    for (const m of members.results) await parsed(memberSchema, path(m.uri));
    const workflows = await parsed(workflowListSchema, '/users/demo_admin/workflows');
    await parsed(workflowListSchema, '/organizations/demo/workflows');
    expect(workflows.results.length).toBeGreaterThanOrEqual(1);
    let nodes = 0;
    for (const w of workflows.results) {
      const uri = path(w.uri);
      await parsed(workflowSchema, uri);
      const tables = await parsed(tableListSchema, `${uri}/tables?includeDatasetTables=true`);
      for (const t of tables.results) await parsed(tableSchema, path(t.uri));
      await parsed(parameterSchema, `${uri}/parameters`, {
        name: `p${Date.now()}`,
        type: 'integer',
        values: [1, 2],
      });
      const params = await parsed(parameterListSchema, `${uri}/parameters`);
      for (const p of params.results) await parsed(parameterSchema, path(p.uri));
      await parsed(datasourceSchema, `${uri}/dataSources`, { sourceDataset: 'demo.iris_species' });
      const sources = await parsed(datasourceListSchema, `${uri}/dataSources`);
      for (const s of sources.results) await parsed(datasourceSchema, path(s.uri));
      const notebooks = await parsed(notebookListSchema, `${uri}/notebooks`);
      for (const n of notebooks.results) await parsed(notebookSchema, path(n.uri));
      nodes += notebooks.results.length;
      const transforms = await parsed(transformListSchema, `${uri}/transforms`);
      for (const t of transforms.results) await parsed(transformSchema, path(t.uri));
      nodes += transforms.results.length;
    }
    expect(nodes, 'the demo seed has a notebook and a transform').toBeGreaterThanOrEqual(2);
  });

  it('queries, read sessions and exports', async () => {
    const q = await parsed(querySchema, '/queries', {
      query: 'SELECT * FROM demo.iris_species.iris LIMIT 3',
    });
    let query = q;
    while (query.status !== 'completed') {
      expect(query.status).not.toBe('failed');
      query = await parsed(querySchema, `/queries/${query.id}`);
    }
    await parsed(variableListSchema, `/queries/${query.id}/variables`);
    await parsed(readSessionSchema, `/queries/${query.id}/readSessions`, {});
    const table = `/tables/${encodeURIComponent('demo.iris_species.iris')}`;
    await parsed(readSessionSchema, `${table}/readSessions`, {});
    const e = await parsed(exportSchema, `${table}/exports`, { format: 'csv' });
    let exp = e;
    while (exp.status !== 'completed') {
      expect(exp.status).not.toBe('failed');
      exp = await parsed(exportSchema, `/exports/${exp.id}`);
    }
    expect(exp.size).toBeGreaterThan(0);
  });
});
