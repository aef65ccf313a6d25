import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { storageTable } from '../src/store/schema.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 1000 });
});
afterAll(async () => {
  await emu.stop();
});

async function storageOf(name: string): Promise<string> {
  const row = await emu.ctx.db.one<{ storage: string }>(
    'SELECT storage FROM tables WHERE name = ? AND NOT is_sample ORDER BY created_at LIMIT 1',
    [name],
  );
  return storageTable(row?.storage as string);
}

describe('demo seed', () => {
  it("embeds Fisher's 150 iris rows", async () => {
    const r = await emu.ctx.db.one<Record<string, number>>(
      `SELECT count(*) AS n, round(sum(sepal_length), 1) AS sl, round(sum(sepal_width), 1) AS sw,
        round(sum(petal_length), 1) AS pl, round(sum(petal_width), 1) AS pw, count(DISTINCT species) AS s
       FROM ${await storageOf('iris')}`,
    );
    expect(r).toEqual({ n: 150, sl: 876.5, sw: 458.6, pl: 563.7, pw: 179.9, s: 3 });
  });

  it('generates seedRows observations with nulls and every type', async () => {
    const obs = await storageOf('daily_observations');
    const r = await emu.ctx.db.one<Record<string, number>>(
      `SELECT count(*) AS n, count(*) - count(value) AS null_values, count(*) - count(observed_at) AS null_ts,
        count(*) - count(obs_time) AS null_time, count(DISTINCT station_id) AS stations FROM ${obs}`,
    );
    expect(r?.n).toBe(1000);
    expect(r?.null_values).toBeGreaterThan(0);
    expect(r?.null_ts).toBeGreaterThan(0);
    expect(r?.null_time).toBeGreaterThan(0);
    expect(r?.stations).toBeGreaterThan(10);
    const types = await emu.ctx.db.all<{ name: string; type: string }>(
      `SELECT v.name, v.type FROM variables v JOIN tables t ON t.id = v.table_id
       WHERE t.name IN ('stations', 'daily_observations') AND NOT t.is_sample ORDER BY t.name, v.idx`,
    );
    expect(new Set(types.map((t) => t.type))).toEqual(
      new Set(['string', 'float', 'geography', 'boolean', 'date', 'integer', 'dateTime', 'time']),
    );
    const loc = await emu.ctx.db.one<{ location: string }>(
      `SELECT location FROM ${await storageOf('stations')}`,
    );
    expect(loc?.location).toMatch(/^POINT\(-?\d+(\.\d+)? -?\d+(\.\d+)?\)$/);
  });

  it('is deterministic: the same rows on every start', async () => {
    const dir = join(tmpdir(), `emu-seed-${process.pid}`);
    const other = await startEmulator({ seed: 'demo', seedRows: 1000, dataDir: dir });
    try {
      const q = (s: string) =>
        `SELECT sum(hash(station_id, date, element, value, observed_at, obs_time)) AS h FROM ${s}`;
      const a = await emu.ctx.db.one(q(await storageOf('daily_observations')));
      const row = await other.ctx.db.one<{ storage: string }>(
        "SELECT storage FROM tables WHERE name = 'daily_observations' AND NOT is_sample LIMIT 1",
      );
      const b = await other.ctx.db.one(q(storageTable(row?.storage as string)));
      expect(b).toEqual(a);
    } finally {
      await other.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
