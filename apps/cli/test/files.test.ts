import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
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

describe('files and downloads', () => {
  it('lists the raw files of a file-index table', async () => {
    const json = await cli.run(['--json', 'files', 'list', 'demo.iris_species.documents']);
    expect(json.code).toBe(0);
    const files = JSON.parse(json.stdout) as Array<{ path: string; size: number }>;
    expect(files.length).toBeGreaterThan(0);
    const human = await cli.run(['files', 'list', 'demo.iris_species.documents']);
    for (const file of files) expect(human.stdout).toContain(file.path);
  });

  it('downloads every raw file into a folder, keeping identical files on a second run', async () => {
    const first = await cli.run([
      '--json',
      'files',
      'download',
      'demo.iris_species.documents',
      '--out',
      'docs',
    ]);
    expect(first.code).toBe(0);
    const { files } = JSON.parse(first.stdout) as { files: string[] };
    const listed = JSON.parse(
      (await cli.run(['--json', 'files', 'list', 'demo.iris_species.documents'])).stdout,
    ) as Array<{
      size: number;
    }>;
    expect(files).toHaveLength(listed.length);
    for (const path of files) expect(path.startsWith(join(cli.dir, 'docs'))).toBe(true);
    const sizes = await Promise.all(files.map(async (p) => (await stat(p)).size));
    expect(sizes.sort()).toEqual(listed.map((f) => f.size).sort());
    const again = await cli.run(['files', 'download', 'demo.iris_species.documents', '--out', 'docs']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`✓ Downloaded ${files.length} file`);
  });

  it('exports a table and downloads the export', async () => {
    const result = await cli.run(['--json', 'download', 'demo.iris_species.iris', '--out', 'export']);
    expect(result.code).toBe(0);
    const { files } = JSON.parse(result.stdout) as { files: string[] };
    expect(files.length).toBeGreaterThan(0);
    const text = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('');
    expect(text.split('\n').filter((l) => l.includes('setosa'))).toHaveLength(50);
    expect((await readdir(join(cli.dir, 'export'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('adds files and a folder to a new file-index table, which lists and downloads them byte for byte', async () => {
    expect((await cli.run(['datasets', 'create', 'demo_admin.papers'])).code).toBe(0);
    await mkdir(join(cli.dir, 'scans', 'deep'), { recursive: true });
    const big = Buffer.alloc(300_000, 7);
    await writeFile(join(cli.dir, 'notes.txt'), 'first notes\n');
    await writeFile(join(cli.dir, 'scans', 'a.bin'), big);
    await writeFile(join(cli.dir, 'scans', 'deep', 'b.txt'), 'deep');
    const result = await cli.run([
      '--json',
      'files',
      'add',
      'demo_admin.papers.docs',
      'notes.txt',
      'scans',
      '--create-table',
    ]);
    expect(result.code).toBe(0);
    const added = JSON.parse(result.stdout) as { files: Array<{ name: string; id: string }> };
    expect(added.files.map((f) => f.name).sort()).toEqual(['a.bin', 'deep/b.txt', 'notes.txt']);
    expect(added.files.every((f) => typeof f.id === 'string' && f.id.length > 0)).toBe(true);
    expect(result.stderr).toContain('Created file-index table');
    const listed = JSON.parse(
      (await cli.run(['--json', 'files', 'list', 'demo_admin.papers.docs'])).stdout,
    ) as Array<{ path: string; size: number }>;
    expect(listed.map((f) => [f.path, f.size]).sort()).toEqual([
      ['a.bin', big.length],
      ['deep/b.txt', 4],
      ['notes.txt', 12],
    ]);
    const got = await cli.run(['files', 'download', 'demo_admin.papers.docs', '--out', 'papers']);
    expect(got.code).toBe(0);
    expect(await readFile(join(cli.dir, 'papers', 'a.bin'))).toEqual(big);
    expect(await readFile(join(cli.dir, 'papers', 'deep', 'b.txt'), 'utf8')).toBe('deep');
    // Human output: one line per file, then the summary.
    await writeFile(join(cli.dir, 'more.txt'), 'more');
    const human = await cli.run(['files', 'add', 'demo_admin.papers.docs', 'more.txt']);
    expect(human.stdout).toBe('more.txt\n');
    expect(human.stderr).toBe('✓ Added 1 file to demo_admin.papers.docs\n');
  });

  it('refuses a missing path before sending anything, and a table that is not a file index', async () => {
    const missing = await cli.run(['files', 'add', 'demo_admin.papers.docs', 'more.txt', 'absent.pdf']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: No such file or folder: absent\.pdf/);
    const listed = JSON.parse(
      (await cli.run(['--json', 'files', 'list', 'demo_admin.papers.docs'])).stdout,
    ) as unknown[];
    expect(listed).toHaveLength(4);
    expect((await cli.run(['datasets', 'create', 'demo_admin.tabular'])).code).toBe(0);
    await writeFile(join(cli.dir, 'rows.csv'), 'id\n1\n');
    expect((await cli.run(['upload', 'demo_admin.tabular.rows', 'rows.csv', '--create-table'])).code).toBe(0);
    const notIndex = await cli.run(['files', 'add', 'demo_admin.tabular.rows', 'more.txt']);
    expect(notIndex.code).toBe(2);
    expect(notIndex.stderr).toMatch(/^error: .*file index/);
  });
});
