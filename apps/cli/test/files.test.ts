import { readdir, readFile, stat } from 'node:fs/promises';
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
});
