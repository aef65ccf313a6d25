import { tableFromIPC, Type } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { ALICE } from './contract-helpers.js';
import { apiClient, readAllStreams } from './helpers/api.js';

const IRIS = '/tables/demo.iris_species%3Av1_0.iris';
const OBS = '/tables/demo.weather_sample.daily_observations';
let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 3000 });
  api = apiClient(emu.url);
});
afterAll(() => emu.stop());

async function arrowRows(path: string, token: string | null = ALICE) {
  const res = await api(path, { token });
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
  return tableFromIPC(res.bytes);
}

function ndjson(text: string): unknown[][] {
  return text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

describe('GET …/rows?format=arrow (the official JS client)', () => {
  it('tables: maxResults and repeated selectedVariables, in the caller order, as the JS client sends them', async () => {
    const t = await arrowRows(
      `${IRIS}/rows?maxResults=7&format=arrow&selectedVariables=species&selectedVariables=SEPAL_LENGTH`,
    );
    expect(t.numRows).toBe(7);
    expect(t.schema.fields.map((f) => [f.name, f.typeId])).toEqual([
      ['species', Type.Utf8],
      ['sepal_length', Type.Float],
    ]);
    const text = await api(`${IRIS}/rows?maxResults=7&selectedVariables=species,sepal_length`, {
      token: ALICE,
    });
    const expected = ndjson(text.text).map(([species, length]) => [species, Number(length)]);
    expect(t.toArray().map((r) => [r.species, r.sepal_length])).toEqual(expected);
  });

  it('repeated and comma-separated selectedVariables combine (NDJSON and CSV honour every value too)', async () => {
    const t = await arrowRows(
      `${IRIS}/rows?format=arrow&selectedVariables=species,petal_width&selectedVariables=sepal_length`,
    );
    expect(t.schema.fields.map((f) => f.name)).toEqual(['species', 'petal_width', 'sepal_length']);
    expect(t.numRows).toBe(150);
    const lines = ndjson(
      (
        await api(`${IRIS}/rows?maxResults=2&selectedVariables=species&selectedVariables=petal_width`, {
          token: ALICE,
        })
      ).text,
    );
    expect(lines.every((l) => l.length === 2)).toBe(true);
    const csv = await api(
      `${IRIS}/rows?format=csv&maxResults=1&selectedVariables=petal_width&selectedVariables=species`,
      {
        token: ALICE,
      },
    );
    expect(csv.text.split('\n')[0]).toBe('petal_width,species');
  });

  it('has the read streams’ Arrow types and values for every Redivis type', async () => {
    const rows = await arrowRows(`${OBS}/rows?format=arrow`);
    const session = await api(`${OBS}/readSessions`, { token: ALICE, json: { format: 'arrow' } });
    const [streamed] = await readAllStreams(api, session.body, ALICE);
    expect(rows.numRows).toBe(3000);
    expect(rows.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      streamed?.schema.fields.map((f) => `${f.name}:${f.type}`),
    );
    expect(rows.schema.fields.map((f) => f.typeId)).toContain(Type.Timestamp);
    for (const name of rows.schema.fields.map((f) => f.name)) {
      expect(rows.getChild(name)?.toArray(), name).toEqual(streamed?.getChild(name)?.toArray());
    }
  });

  it('maxResults=0 is a schema and no rows; a large maxResults is every row', async () => {
    const none = await arrowRows(`${IRIS}/rows?format=arrow&maxResults=0`);
    expect(none.numRows).toBe(0);
    expect(none.schema.fields).toHaveLength(5);
    expect((await arrowRows(`${IRIS}/rows?format=arrow&maxResults=100000`)).numRows).toBe(150);
  });

  it('queries: the completed output in Arrow', async () => {
    const q = await api('/queries', {
      token: ALICE,
      json: {
        query: 'SELECT species, count(*) AS n FROM demo.iris_species.iris GROUP BY species ORDER BY species',
      },
    });
    expect(q.status, q.text).toBeLessThan(300);
    let query = q.body;
    for (let i = 0; i < 200 && query.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      query = (await api(`/queries/${query.id}`, { token: ALICE })).body;
    }
    expect(query.status).toBe('completed');
    const t = await arrowRows(
      `/queries/${query.id}/rows?format=arrow&maxResults=2&selectedVariables=n&selectedVariables=species`,
    );
    expect(t.toArray().map((r) => [r.species, Number(r.n)])).toEqual([
      ['setosa', 50],
      ['versicolor', 50],
    ]);
    expect(t.schema.fields.map((f) => f.typeId)).toEqual([Type.Int, Type.Utf8]);
  });

  it('uploads: the imported rows in Arrow and NDJSON', async () => {
    const t = await arrowRows(
      `${IRIS}/uploads/iris_csv/rows?format=arrow&maxResults=3&selectedVariables=species`,
    );
    expect(t.numRows).toBe(3);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['species']);
    const lines = ndjson((await api(`${IRIS}/uploads/iris_csv/rows?maxResults=3`, { token: ALICE })).text);
    expect(lines).toHaveLength(3);
  });

  it('bad parameters are 400s that name the problem', async () => {
    const unknown = await api(`${IRIS}/rows?format=arrow&selectedVariables=species&selectedVariables=nope`, {
      token: ALICE,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_description).toMatch(/"nope" does not exist/);
    const twice = await api(`${IRIS}/rows?format=arrow&selectedVariables=species&selectedVariables=SPECIES`, {
      token: ALICE,
    });
    expect(twice.status).toBe(400);
    const empty = await api(`${IRIS}/rows?format=arrow&selectedVariables=species,`, { token: ALICE });
    expect(empty.status).toBe(400);
    const format = await api(`${IRIS}/rows?format=xml`, { token: ALICE });
    expect(format.status).toBe(400);
    expect(format.body.error_description).toMatch(/ndjson, csv or arrow/);
    expect((await api(`${IRIS}/rows?format=arrow&maxResults=-1`, { token: ALICE })).status).toBe(400);
  });
});
