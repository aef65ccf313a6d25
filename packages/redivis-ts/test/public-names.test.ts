import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findNameClashes, workspaceEntries } from './helpers/public-names.js';

// "One name per thing": a user importing from redivis-ts, or from any package it re-exports, never meets one name
// with two meanings (once `createClient` built a transport in core and the object model here).
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(packageDir, '../..');

describe('one public name per thing across the published packages', () => {
  it('reports a name two entry points declare separately, and not a re-export of one declaration', () => {
    const fixtures = join(packageDir, 'test/fixtures/public-names');
    const clashes = findNameClashes(
      { first: join(fixtures, 'first.ts'), second: join(fixtures, 'second.ts') },
      root,
    );
    expect(clashes.map((c) => c.name)).toEqual(['WaitOptions']);
    expect(clashes[0]?.meanings.map((m) => m.exportedBy)).toEqual([['first'], ['second']]);
  });

  it('covers redivis-ts (both builds) and every workspace package it depends on', () => {
    expect(Object.keys(workspaceEntries(packageDir)).sort()).toEqual([
      '@redivis-ts/arrow',
      '@redivis-ts/core',
      '@redivis-ts/node',
      '@redivis-ts/resources',
      '@redivis-ts/upload',
      'redivis-ts#browser',
      'redivis-ts#default',
    ]);
  });

  it('finds no name exported with two meanings', () => {
    const clashes = findNameClashes(workspaceEntries(packageDir), root);
    const report = clashes
      .map(
        (c) =>
          `${c.name}: ${c.meanings.map((m) => `${m.declaration} (${m.exportedBy.join(', ')})`).join(' vs ')}`,
      )
      .join('\n');
    expect(report).toBe('');
  }, 180_000);
});
