import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCli, type TestCli } from './helpers/run.js';

let cli: TestCli;
beforeAll(async () => {
  cli = await startTestCli(300);
});
afterAll(async () => {
  await cli.stop();
});

const OBS = 'demo.weather_sample.daily_observations';

describe('read', () => {
  it('streams CSV with exact values and empty fields for nulls', async () => {
    const result = await cli.run(['read', OBS]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('station_id,date,element,value,observed_at,obs_time');
    expect(lines).toHaveLength(301);
    expect(lines.slice(1).every((l) => /^[^,]*,(\d{4}-\d\d-\d\d)?,[^,]*,-?\d*,[^,]*,[^,]*$/.test(l))).toBe(
      true,
    );
    expect(lines.some((l) => l.includes(',,'))).toBe(true);
  });

  it('writes TSV, JSON and NDJSON that parse back to the same rows', async () => {
    const json = JSON.parse(
      (await cli.run(['read', OBS, '--format', 'json', '-n', '50'])).stdout,
    ) as object[];
    const ndjson = (await cli.run(['read', OBS, '--format', 'ndjson', '-n', '50'])).stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json).toHaveLength(50);
    // Parallel streams interleave, so two reads agree on the rows but not necessarily their order.
    const key = (rows: object[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(key(ndjson)).toEqual(key(json));
    const tsv = (await cli.run(['read', OBS, '--format', 'tsv', '-n', '50'])).stdout.trimEnd().split('\n');
    expect(tsv[0]?.split('\t')).toEqual(Object.keys(json[0] as object));
    expect(tsv).toHaveLength(51);
  });

  it('writes Arrow IPC and Parquet files that hold every row, with no temporary file left behind', async () => {
    const arrow = await cli.run(['read', OBS, '--out', 'obs.arrow']);
    expect(arrow.code).toBe(0);
    expect(arrow.stderr).toBe('✓ Wrote 300 rows to obs.arrow (arrow)\n');
    const fromArrow = tableFromIPC(await readFile(join(cli.dir, 'obs.arrow')));
    expect(fromArrow.numRows).toBe(300);
    const parquet = await cli.run(['read', OBS, '--format', 'parquet', '--out', 'obs.parquet']);
    expect(parquet.code).toBe(0);
    const wasmTable = readParquet(new Uint8Array(await readFile(join(cli.dir, 'obs.parquet'))));
    const fromParquet = tableFromIPC(wasmTable.intoIPCStream());
    expect(fromParquet.numRows).toBe(300);
    expect(fromParquet.schema.fields.map((f) => f.name)).toEqual(fromArrow.schema.fields.map((f) => f.name));
    const sorted = (t: typeof fromArrow) =>
      t
        .toArray()
        .map((row) => JSON.stringify(row.toJSON(), (_k, v) => (typeof v === 'bigint' ? `${v}` : v)))
        .sort();
    expect(sorted(fromParquet)).toEqual(sorted(fromArrow));
    expect((await readdir(cli.dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('selects variables in the order given and caps rows with --max-results', async () => {
    const result = await cli.run([
      'read',
      'demo.iris_species.iris',
      '--variables',
      'species,petal_length',
      '-n',
      '3',
      '--ordered',
    ]);
    expect(result.stdout).toBe('species,petal_length\nsetosa,1.4\nsetosa,1.4\nsetosa,1.3\n');
  });

  it('leaves no file and exits 130 when aborted mid-read', async () => {
    const controller = new AbortController();
    const pending = cli.run(['read', OBS, '--out', 'aborted.csv'], { signal: controller.signal });
    controller.abort(new DOMException('Interrupted', 'AbortError'));
    const result = await pending;
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('error: Interrupted\n');
    expect(
      (await readdir(cli.dir)).filter((name) => name.startsWith('aborted') || name.includes('.partial')),
    ).toEqual([]);
  });

  it('refuses binary formats on a terminal and table format into a file', async () => {
    const binary = await cli.run(['read', OBS, '--format', 'parquet'], { tty: 80 });
    expect(binary.code).toBe(2);
    expect(binary.stderr).toContain('Not writing binary parquet to a terminal');
    expect((await cli.run(['read', OBS, '--format', 'table', '--out', 'x.txt'])).code).toBe(2);
  });
});

describe('query', () => {
  const SQL =
    'SELECT species, COUNT(*) AS n, ROUND(AVG(petal_length), 3) AS mean FROM demo.iris_species.iris GROUP BY species ORDER BY species';

  it('runs SQL from the argument, a file or stdin', async () => {
    const expected = 'species,n,mean\nsetosa,50,1.462\nversicolor,50,4.26\nvirginica,50,5.552\n';
    expect((await cli.run(['query', SQL])).stdout).toBe(expected);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(cli.dir, 'q.sql'), SQL);
    expect((await cli.run(['query', '--file', 'q.sql'])).stdout).toBe(expected);
    expect((await cli.run(['query'], { stdin: SQL })).stdout).toBe(expected);
  });

  it("keeps a query's ORDER BY across the result's parallel streams, in every format", async () => {
    const sql = `SELECT station_id, value FROM ${OBS} WHERE value IS NOT NULL ORDER BY value DESC, station_id`;
    const csv = (await cli.run(['query', sql])).stdout.trimEnd().split('\n').slice(1);
    expect(csv.length).toBeGreaterThan(100);
    const values = csv.map((line) => Number(line.split(',')[1]));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const ndjson = (await cli.run(['query', sql, '--format', 'ndjson'])).stdout
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { value: number }).value);
    expect(ndjson).toEqual(values);
  });

  it('reports SQL errors on one line with a usage exit code', async () => {
    const result = await cli.run(['query', 'SELECT nope FROM demo.iris_species.iris']);
    expect(result.code).not.toBe(0);
    expect(result.stderr.split('\n').filter(Boolean)[0]).toMatch(/^error: /);
  });
});

describe('errors and exit codes', () => {
  it('maps not found, bad token, insufficient access and network failures to their exit codes', async () => {
    const missing = await cli.run(['tables', 'show', 'demo.iris_species.nope']);
    expect(missing.code).toBe(4);
    const badToken = await cli.run(['datasets', 'list', 'demo'], { env: { REDIVIS_API_TOKEN: 'wrong' } });
    expect(badToken.code).toBe(3);
    expect(badToken.stderr).toContain('hint: run `redivis auth login`');
    expect(badToken.stderr).not.toContain('wrong');
    const bob = await cli.run(['read', 'demo.restricted_survey.responses', '-n', '1'], {
      env: { REDIVIS_API_TOKEN: 'rdv_demo_bob_token' },
    });
    expect(bob.code).toBe(3);
    const offline = await cli.run([
      '--retries',
      '0',
      '--endpoint',
      'http://127.0.0.1:9/api/v1',
      'datasets',
      'list',
      'demo',
    ]);
    expect(offline.code).toBe(5);
  });

  it('rejects unknown commands and options with exit code 2', async () => {
    expect((await cli.run(['datasets', 'frobnicate'])).code).toBe(2);
    expect((await cli.run(['read', OBS, '--format', 'xml'])).code).toBe(2);
    expect((await cli.run(['read'])).code).toBe(2);
  });

  it('prints the request trail with --verbose and never the token', async () => {
    const result = await cli.run(['--verbose', 'datasets', 'list', 'demo']);
    expect(result.stderr).toMatch(/→ GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/organizations\/demo\/datasets/);
    expect(result.stderr).toMatch(/← 200 GET /);
    expect(result.stderr).not.toContain('rdv_demo_admin_token');
  });
});
