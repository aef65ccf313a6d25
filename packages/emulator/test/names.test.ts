import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { call, json } from './contract-helpers.js';

// One name rule everywhere (core's nameProblem): a letter or digit of any script, no control or bidi characters.
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seedRows: 100 });
});
afterAll(async () => {
  await emu.stop();
});

const seg = (s: string) => encodeURIComponent(s);

describe('resource names', () => {
  it('accepts names written only in non-Latin letters, and references them', async () => {
    const created = await json<{ name: string; qualifiedReference: string }>(
      emu,
      '/users/demo_admin/datasets',
      {
        method: 'POST',
        json: { name: '日本語データ' },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.qualifiedReference).toMatch(/^demo_admin\.日本語データ:next:/);
    const table = await json<{ name: string }>(
      emu,
      `/datasets/${seg('demo_admin.日本語データ:next')}/tables`,
      {
        method: 'POST',
        json: { name: '日本語テーブル' },
      },
    );
    expect(table.status).toBe(201);
    const got = await json<{ name: string }>(
      emu,
      `/tables/${seg('demo_admin.日本語データ:next.日本語テーブル')}`,
    );
    expect(got.status).toBe(200);
    expect(got.body.name).toBe('日本語テーブル');
  });

  it.each([
    ['a NUL', 'bad\u0000name', /contains U\+0000/],
    ['a newline', 'bad\nname', /contains U\+000A/],
    ['a right-to-left override', 'invoice\u202Etxt.exe', /contains U\+202E/],
    ['a first-strong isolate', 'x\u2068y', /contains U\+2068/],
    ['a lone surrogate', 'x\uD800y', /contains U\+D800/],
    ['no letter or digit', '!!! ---', /needs at least one letter or digit/],
  ])('refuses a name with %s, saying what is wrong', async (_, name, problem) => {
    const ds = await json(emu, '/users/demo_admin/datasets', { method: 'POST', json: { name } });
    expect(ds.status).toBe(400);
    expect(ds.body.error_description).toMatch(problem);
    expect(ds.body.error_description).toMatch(/^The dataset name /);
    const patch = await json(emu, '/datasets/demo.iris_species', { method: 'PATCH', json: { name } });
    expect(patch.status).toBe(400);
    const table = await json(emu, `/datasets/${seg('demo.versioned_dataset:next')}/tables`, {
      method: 'POST',
      json: { name },
    });
    expect(table.status).toBe(400);
    expect(table.body.error_description).toMatch(/^The table name /);
    const rename = await json(emu, `/tables/${seg('demo.versioned_dataset:next.notes')}`, {
      method: 'PATCH',
      json: { name },
    });
    expect(rename.status).toBe(400);
    const node = await json(emu, `/notebooks/${seg('demo_admin.weather_analysis.exploration')}`, {
      method: 'PATCH',
      json: { name },
    });
    expect(node.status).toBe(400);
    expect(node.body.error_description).toMatch(/^The notebook name /);
    expect((await call(emu, '/datasets/demo.iris_species')).status).toBe(200);
  });

  it('applies the same rule to upload names, which also cannot hold slashes', async () => {
    const upload = (name: string) =>
      fetch(`${emu.url}/tables/${seg('demo.versioned_dataset:next.notes')}/uploads?name=${seg(name)}`, {
        method: 'POST',
        headers: { Authorization: 'Bearer rdv_demo_admin_token', 'Content-Type': 'text/csv' },
        body: 'v\n1\n',
      });
    const bidi = await upload('invoice\u202Etxt.csv');
    expect(bidi.status).toBe(400);
    expect(((await bidi.json()) as { error_description: string }).error_description).toMatch(
      /^The upload name contains U\+202E/,
    );
    const slash = await upload('a/b.csv');
    expect(slash.status).toBe(400);
    await slash.arrayBuffer();
    const japanese = await upload('データ.csv');
    expect(japanese.status).toBe(201);
    await japanese.arrayBuffer();
  });
});
