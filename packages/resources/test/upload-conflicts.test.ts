import { UploadUsageError } from '@redivis-ts/upload';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from './helpers.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.stop());

let n = 0;
async function tableWithUpload() {
  const dataset = env.redivis.user('demo_admin').dataset(`conflicts_${Date.now()}_${n++}`);
  await dataset.create();
  const table = dataset.table('t');
  await table.create();
  await table.upload('data.csv').create('x\n1\n');
  return table;
}

const uploadRows = async (table: Awaited<ReturnType<typeof tableWithUpload>>, name: string) =>
  (await table.upload(name).listRows()).map((r) => r.x);

describe('upload name conflicts (settled before any byte is sent)', () => {
  it('ifNotExists returns the existing upload and sends nothing', async () => {
    const table = await tableWithUpload();
    const again = await table.upload('data.csv').create('x\n2\n', { ifNotExists: true });
    expect(again.properties?.name).toBe('data.csv');
    expect((await table.listUploads()).map((u) => u.name)).toEqual(['data.csv']);
    expect((await table.listRows()).map((r) => r.x)).toEqual([1]);
  });

  it('renameOnConflict lets the server pick the next free name; both uploads stay', async () => {
    const table = await tableWithUpload();
    const renamed = await table.upload('data.csv').create('x\n3\n', { renameOnConflict: true });
    expect(renamed.properties?.name).toBe('data_2.csv');
    expect(renamed.uri).toMatch(/\/uploads\/data_2_csv$/);
    expect((await table.listUploads()).map((u) => u.name).sort()).toEqual(['data.csv', 'data_2.csv']);
    expect(await uploadRows(table, 'data_2.csv')).toEqual([3]);
    expect((await table.listRows()).map((r) => r.x).sort()).toEqual([1, 3]);
  });

  it('replaceOnConflict deletes the existing upload first; the name then holds the new data', async () => {
    const table = await tableWithUpload();
    const replaced = await table.upload('data.csv').create('x\n4\n', { replaceOnConflict: true });
    expect(replaced.properties?.name).toBe('data.csv');
    expect((await table.listUploads()).map((u) => u.name)).toEqual(['data.csv']);
    expect(await uploadRows(table, 'data.csv')).toEqual([4]);
    // The deleted upload's rows left the table with it.
    expect((await table.listRows()).map((r) => r.x)).toEqual([4]);
  });

  it('no flag → UploadUsageError; both flags → UploadUsageError before any request; nothing changes', async () => {
    const table = await tableWithUpload();
    await expect(table.upload('data.csv').create('x\n5\n')).rejects.toBeInstanceOf(UploadUsageError);
    await expect(
      table.upload('other.csv').create('x\n6\n', { replaceOnConflict: true, renameOnConflict: true }),
    ).rejects.toBeInstanceOf(UploadUsageError);
    expect((await table.listUploads()).map((u) => u.name)).toEqual(['data.csv']);
    expect((await table.listRows()).map((r) => r.x)).toEqual([1]);
  });
});
