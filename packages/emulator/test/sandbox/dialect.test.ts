import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../src/index.js';
import { apiClient } from '../helpers/api.js';

const TOKEN = 'dialect-test-token';
let emu: RunningEmulator;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'none', token: TOKEN });
  api = apiClient(emu.url);
});
afterAll(() => emu.stop());

async function run(query: string) {
  const res = await api('/queries', { token: TOKEN, json: { query } });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The single row of a completed query, as listRows strings. */
async function row(query: string): Promise<unknown[]> {
  const q = await run(query);
  expect(q.status, `${query}: ${q.errorMessage}`).toBe('completed');
  const rows = await api(`/queries/${q.id}/rows`, { token: TOKEN });
  return JSON.parse(rows.text.trim().split('\n')[0] as string) as unknown[];
}

async function failure(query: string): Promise<string> {
  const q = await run(query);
  expect(q.status, query).toBe('failed');
  return String(q.errorMessage);
}

describe('BigQuery dialect', () => {
  it('converts a timestamp written with a zone offset to UTC', async () => {
    expect(
      await row(
        "SELECT TIMESTAMP '2024-01-01 12:00:00+05:00' AS a, CAST('2024-01-01 12:00:00-02:30' AS TIMESTAMP) AS b, TIMESTAMP '2024-01-01 12:00:00' AS c",
      ),
    ).toEqual(['2024-01-01 07:00:00', '2024-01-01 14:30:00', '2024-01-01 12:00:00']);
  });

  it('raises division by zero like BigQuery; SAFE_DIVIDE still returns NULL', async () => {
    expect(await failure('SELECT 1.0/0 AS x')).toMatch(/division by zero: 1\.0 \/ 0/);
    expect(await failure('SELECT 1/0 AS x')).toMatch(/division by zero/);
    expect(await failure('SELECT n / (n - 2) AS x FROM unnest([1, 2, 3]) AS t(n)')).toMatch(
      /division by zero/,
    );
    expect(await failure('SELECT DIV(7, 0) AS x')).toMatch(/division by zero/);
    expect(await row('SELECT 7 / 2 AS a, SAFE_DIVIDE(1, 0) AS b, DIV(7, 2) AS c')).toEqual([
      '3.5',
      null,
      '3',
    ]);
  });

  it("refuses dates and timestamps outside BigQuery's range 0001-01-01 .. 9999-12-31", async () => {
    expect(await failure("SELECT DATE '10000-01-01' AS d")).toMatch(/Invalid DATE.*10000-01-01/);
    expect(await failure("SELECT CAST('0000-12-31' AS DATE) AS d")).toMatch(/Invalid DATE/);
    expect(await failure("SELECT TIMESTAMP '10000-01-01 00:00:00' AS t")).toMatch(/Invalid TIMESTAMP/);
    expect(
      await row("SELECT DATE '9999-12-31' AS a, DATE '0001-01-01' AS b, SAFE_CAST(NULL AS DATE) AS c"),
    ).toEqual(['9999-12-31', '0001-01-01', null]);
  });

  it('gives NUMERIC 38 digits with scale 9, and BIGNUMERIC a wider range', async () => {
    expect(
      await row(
        "SELECT CAST('12345678901234567890.123456789' AS NUMERIC) AS a, NUMERIC '99999999999999999999999999999.999999999' AS b, CAST(1e35 AS BIGNUMERIC) AS c, CAST(2.5 AS DECIMAL) AS d",
      ),
    ).toEqual(['1.2345678901234567e+19', '1e+29', '1e+35', '2.5']);
    expect(await failure("SELECT CAST('1e30' AS NUMERIC) AS x")).toMatch(
      /DECIMAL\(38,9\)|out of range|Could not cast/i,
    );
    const q = await run('SELECT CAST(1 AS NUMERIC) AS numeric');
    expect(q.status, q.errorMessage).toBe('completed');
    expect(q.outputSchema).toEqual([{ name: 'numeric', type: 'float' }]);
  });

  it('passes a \\u0000 escape on as the NUL character', async () => {
    expect(await row("SELECT 'a\\u0000b' AS s, length('a\\u0000b') AS n, '\\x00' = chr(0) AS same")).toEqual([
      'a\u0000b',
      '3',
      'true',
    ]);
  });
});
