import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const STORE = join(import.meta.dirname, '../src/store');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

it('keeps the store free of the HTTP layer: no store module imports http/, routes/, repr/ or hono', async () => {
  const offenders: string[] = [];
  for (const file of await sources(STORE)) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/from '([^']+)'/g)) {
      const spec = m[1] as string;
      if (/\/(http|routes|repr)\//.test(spec) || spec === 'hono' || spec.startsWith('hono/')) {
        offenders.push(`${file}: ${spec}`);
      }
    }
  }
  expect(offenders).toEqual([]);
});

it('creates tables only through the migration list', async () => {
  const offenders: string[] = [];
  for (const file of await sources(join(STORE, '..'))) {
    if (file.includes(`${join('store', 'migrations')}`)) continue;
    const text = await readFile(file, 'utf8');
    if (/CREATE TABLE IF NOT EXISTS/i.test(text)) offenders.push(file);
  }
  expect(offenders).toEqual([]);
});
