import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// One file-name convention in every package: a file holding one exported class is named for it (`Dataset.ts`);
// every other file is kebab-case (`create-redivis.ts`, once `createRedivis.ts`).
const root = fileURLToPath(new URL('../../..', import.meta.url));
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const SOURCE = /\.(?:ts|tsx|mts|mjs|js)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** What is wrong with a source file's name, or undefined. */
function fileNameProblem(name: string, text: string): string | undefined {
  const stem = name.replace(SOURCE, '');
  if (KEBAB.test(stem)) return undefined;
  if (!PASCAL.test(stem)) return 'neither kebab-case nor a class name';
  const classes = [...text.matchAll(/^export (?:abstract )?class (\w+)/gm)].map((m) => m[1]);
  if (classes.length !== 1 || classes[0] !== stem) {
    return `a PascalCase name needs exactly one exported class of that name (found ${classes.join(', ') || 'none'})`;
  }
  return undefined;
}

describe('file names', () => {
  it('tells the conventions apart', () => {
    expect(fileNameProblem('create-redivis.ts', '')).toBeUndefined();
    expect(fileNameProblem('read-sessions.test.ts', '')).toBeUndefined();
    expect(fileNameProblem('Dataset.ts', 'export class Dataset {}')).toBeUndefined();
    expect(fileNameProblem('createRedivis.ts', 'export function createRedivis() {}')).toMatch(/neither/);
    expect(fileNameProblem('Helpers.ts', 'export function x() {}')).toMatch(/found none/);
    expect(fileNameProblem('Pair.ts', 'export class Pair {}\nexport class Other {}')).toMatch(/Pair, Other/);
  });

  it('follow one convention in every package and app', () => {
    const dirs = ['packages', 'apps'].flatMap((top) =>
      readdirSync(join(root, top), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(root, top, d.name)),
    );
    const files = dirs.flatMap((dir) => sourceFiles(dir));
    expect(files.length).toBeGreaterThan(100);
    const bad = files
      .map((file) => {
        const name = file.split('/').pop() as string;
        const problem = fileNameProblem(name, readFileSync(file, 'utf8'));
        return problem && `${relative(root, file)}: ${problem}`;
      })
      .filter(Boolean);
    expect(bad).toEqual([]);
  });
});
