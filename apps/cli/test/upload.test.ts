import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCli, type TestCli } from './helpers/run.js';

let cli: TestCli;
beforeAll(async () => {
  cli = await startTestCli(50);
});
afterAll(async () => {
  await cli.stop();
});

describe('upload', () => {
  it('creates the table, uploads CSV files, releases the dataset and reads the rows back', async () => {
    expect((await cli.run(['datasets', 'create', 'demo_admin.uploaded'])).code).toBe(0);
    await writeFile(join(cli.dir, 'a.csv'), 'id,name\n1,ada\n2,grace\n');
    await writeFile(join(cli.dir, 'b.csv'), 'id,name\n3,"hopper, grace"\n');
    const result = await cli.run([
      'upload',
      'demo_admin.uploaded.people',
      'a.csv',
      'b.csv',
      '--create-table',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('✓ Created table demo_admin.uploaded');
    expect(result.stderr).toMatch(/✓ Uploaded a\.csv → .*people.* \(2 rows, completed\)/);
    expect(result.stderr).toMatch(/✓ Uploaded b\.csv → .*people.* \(1 rows, completed\)/);
    // Running it again skips what is already there.
    const again = await cli.run(['--json', 'upload', 'demo_admin.uploaded.people', 'a.csv']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject([{ file: 'a.csv', upload: 'a.csv' }]);
    expect((await cli.run(['datasets', 'release', 'demo_admin.uploaded'])).code).toBe(0);
    const rows = await cli.run(['query', 'SELECT id, name FROM demo_admin.uploaded.people ORDER BY id']);
    expect(rows.stdout).toBe('id,name\n1,ada\n2,grace\n3,"hopper, grace"\n');
  });

  it('fails with a clear error for a missing file or a missing table', async () => {
    const missing = await cli.run(['upload', 'demo_admin.uploaded.people', 'nope.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: .*nope\.csv/);
    await writeFile(join(cli.dir, 'c.csv'), 'id\n1\n');
    const noTable = await cli.run(['upload', 'demo_admin.uploaded.absent', 'c.csv']);
    expect(noTable.code).toBe(4);
  });

  it("adds rows by default and, with --replace, makes the files the table's rows", async () => {
    const rows = async () =>
      (await cli.run(['query', 'SELECT id FROM demo_admin.versioned.t ORDER BY id'])).stdout;
    expect((await cli.run(['datasets', 'create', 'demo_admin.versioned'])).code).toBe(0);
    await writeFile(join(cli.dir, 'v1.csv'), 'id\n1\n2\n');
    await writeFile(join(cli.dir, 'v2.csv'), 'id\n3\n');
    await writeFile(join(cli.dir, 'v3a.csv'), 'id\n10\n');
    await writeFile(join(cli.dir, 'v3b.csv'), 'id\n11\n');
    expect((await cli.run(['upload', 'demo_admin.versioned.t', 'v1.csv', '--create-table'])).code).toBe(0);
    expect((await cli.run(['datasets', 'release', 'demo_admin.versioned'])).code).toBe(0);
    // v2: appended to the rows v1 had.
    expect((await cli.run(['datasets', 'next-version', 'demo_admin.versioned'])).code).toBe(0);
    expect((await cli.run(['upload', 'demo_admin.versioned:next.t', 'v2.csv'])).code).toBe(0);
    expect((await cli.run(['datasets', 'release', 'demo_admin.versioned'])).code).toBe(0);
    expect(await rows()).toBe('id\n1\n2\n3\n');
    // v3: an upload made in the version, then --replace with two files: only those two files' rows remain.
    expect((await cli.run(['datasets', 'next-version', 'demo_admin.versioned'])).code).toBe(0);
    expect((await cli.run(['upload', 'demo_admin.versioned:next.t', 'v2.csv'])).code).toBe(0);
    const replaced = await cli.run([
      'upload',
      'demo_admin.versioned:next.t',
      'v3a.csv',
      'v3b.csv',
      '--replace',
    ]);
    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toContain('Set demo_admin.versioned');
    expect(replaced.stderr).toContain('Deleted the earlier upload v2.csv');
    expect((await cli.run(['datasets', 'release', 'demo_admin.versioned'])).code).toBe(0);
    expect(await rows()).toBe('id\n10\n11\n');
    // The table keeps replacing; a plain upload says so.
    expect((await cli.run(['datasets', 'next-version', 'demo_admin.versioned'])).code).toBe(0);
    const plain = await cli.run(['upload', 'demo_admin.versioned:next.t', 'v2.csv']);
    expect(plain.stderr).toContain('uploadMergeStrategy "replace"');
  });
});
