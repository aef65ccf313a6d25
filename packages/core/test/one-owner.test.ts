import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VARIABLE_TYPES } from '../src/index.js';

// Core owns the Redivis type table, sleep and the backoff formula; these checks fail when a copy of one of them
// comes back anywhere in the packages or apps.
const ROOT = join(import.meta.dirname, '../../..');
const OWNER = 'packages/core/src/schemas/variable-types.ts';

function sources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts'))
        out.push({ file: relative(ROOT, path), text: readFileSync(path, 'utf8') });
    }
  };
  for (const group of ['packages', 'apps']) {
    for (const pkg of readdirSync(join(ROOT, group))) {
      const src = join(ROOT, group, pkg, 'src');
      if (
        statSync(join(ROOT, group, pkg)).isDirectory() &&
        readdirSync(join(ROOT, group, pkg)).includes('src')
      ) {
        walk(src);
      }
    }
  }
  return out;
}

const files = sources();
const TYPE = `'(?:${VARIABLE_TYPES.join('|')})'`;

describe('one owner per concept', () => {
  it('finds the sources it checks', () => {
    expect(files.some((f) => f.file === OWNER)).toBe(true);
    expect(files.some((f) => f.file.startsWith('packages/emulator/src/'))).toBe(true);
  });

  it('lists the Redivis variable types only in core (no other array, set or union of them)', () => {
    const list = new RegExp(`${TYPE}\\s*[,|]\\s*${TYPE}`);
    const copies = files.filter((f) => f.file !== OWNER && list.test(f.text)).map((f) => f.file);
    expect(copies).toEqual([]);
  });

  it('keys no table by the Redivis variable types outside core', () => {
    const key = new RegExp(`^\\s*(?:${VARIABLE_TYPES.join('|')}):\\s`, 'gm');
    const tables = files
      .filter((f) => f.file !== OWNER && (f.text.match(key)?.length ?? 0) >= 3)
      .map((f) => f.file);
    expect(tables).toEqual([]);
  });

  it('defines quoteIdent, sleep and the backoff formula once', () => {
    const defining = (pattern: RegExp) => files.filter((f) => pattern.test(f.text)).map((f) => f.file);
    expect(defining(/function quoteIdent\s*\(|const quoteIdent\s*=\s*\(/)).toEqual([
      'packages/emulator/src/store/identifiers.ts',
    ]);
    expect(defining(/function sleep\s*\(|const sleep\s*=\s*(?:async\s*)?\(/)).toEqual([
      'packages/core/src/wait/sleep.ts',
    ]);
    // Retries back off in retry.ts; job polling (a separate schedule, documented with waitFor) in wait-for.ts.
    expect(defining(/DelayMs \* 2 \*\*/)).toEqual([
      'packages/core/src/client/retry.ts',
      'packages/core/src/wait/wait-for.ts',
    ]);
  });
});
