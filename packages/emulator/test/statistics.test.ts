import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { storageTable } from '../src/store/schema.js';
import { call, json } from './contract-helpers.js';

// Rows with NaN, ±Infinity and empty strings are added straight to the stations table's storage (no write endpoint
// takes them yet); everything is then read over HTTP.
let emu: RunningEmulator;
let stations: string;
const T = '/tables/demo.weather_sample.stations';
beforeAll(async () => {
  emu = await startEmulator({ seedRows: 100 });
  const row = await emu.ctx.db.one<{ storage: string }>(
    "SELECT storage FROM tables WHERE name = 'stations' AND NOT is_sample LIMIT 1",
  );
  stations = storageTable(row?.storage as string);
});
afterAll(async () => {
  await emu.stop();
});

const stats = async (name: string) =>
  (await json<Record<string, unknown>>(emu, `${T}/variables/${name}/statistics`)).body;

describe('statistics of non-finite floats (as BigQuery computes them)', () => {
  it('+Infinity: max and mean are "Infinity", min stays finite', async () => {
    await emu.ctx.db.run(`INSERT INTO ${stations} (id, elevation) VALUES ('inf', 'inf'::DOUBLE)`);
    const s = await stats('elevation');
    expect(s).toMatchObject({ max: 'Infinity', mean: 'Infinity' });
    expect(typeof s.min).toBe('number');
  });

  it('+Infinity and -Infinity: min "-Infinity", max "Infinity", mean "NaN"', async () => {
    await emu.ctx.db.run(`INSERT INTO ${stations} (id, elevation) VALUES ('-inf', '-inf'::DOUBLE)`);
    expect(await stats('elevation')).toMatchObject({ min: '-Infinity', max: 'Infinity', mean: 'NaN' });
  });

  it('NaN: min, max and mean are "NaN", and count includes it', async () => {
    const before = (await stats('elevation')).count as number;
    await emu.ctx.db.run(`INSERT INTO ${stations} (id, elevation) VALUES ('nan', 'NaN'::DOUBLE)`);
    const s = await stats('elevation');
    expect(s).toMatchObject({ min: 'NaN', max: 'NaN', mean: 'NaN', count: before + 1 });
  });

  it('lists non-finite floats as BigQuery writes them', async () => {
    const res = await call(emu, `${T}/rows?selectedVariables=id,elevation`);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as [string, string | null]);
    const byId = new Map(lines.map(([id, v]) => [id, v]));
    expect(byId.get('inf')).toBe('Infinity');
    expect(byId.get('-inf')).toBe('-Infinity');
    expect(byId.get('nan')).toBe('NaN');
  });
});

describe('rows?format=csv', () => {
  it('writes NULL as an empty unquoted field and the empty string as ""', async () => {
    await emu.ctx.db.run(`INSERT INTO ${stations} (id, name) VALUES ('empty', ''), ('null', NULL)`);
    const res = await call(emu, `${T}/rows?format=csv&selectedVariables=id,name`);
    const lines = (await res.text()).split('\n');
    expect(lines[0]).toBe('id,name');
    expect(lines).toContain('empty,""');
    expect(lines).toContain('null,');
  });
});
