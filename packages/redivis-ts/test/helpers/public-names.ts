import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/** An exported name that means different things in different entry points. */
export interface NameClash {
  /** The exported name. */
  name: string;
  /** Each distinct declaration (`file:line`) with the entry points exporting it. */
  meanings: { declaration: string; exportedBy: string[] }[];
}

/**
 * Which names two packages export with different meanings (entry labels `name#condition` are builds of one
 * package, which may each declare the same name). Aliases (`export { X } from …`, `export *`) are
 * followed to the declaration they stand for, so a re-export of one declaration is one meaning; values, types
 * and interfaces count alike, since a user importing a type meets the name just the same.
 *
 * @param entries - Entry point label → absolute path of its TypeScript source.
 * @param root - Paths in the report are relative to this folder.
 */
export function findNameClashes(entries: Record<string, string>, root: string): NameClash[] {
  const program = ts.createProgram(Object.values(entries), {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@redivis-ts/source'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  const byName = new Map<string, Map<string, string[]>>();
  for (const [label, file] of Object.entries(entries)) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${label}: ${file} is not a module the compiler could load`);
    for (const exported of checker.getExportsOfModule(module)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = target.declarations?.[0];
      const where = declaration
        ? `${relative(root, declaration.getSourceFile().fileName)}:${
            declaration.getSourceFile().getLineAndCharacterOfPosition(declaration.getStart()).line + 1
          }`
        : `(no declaration) ${label}`;
      const meanings = byName.get(exported.name) ?? new Map<string, string[]>();
      byName.set(exported.name, meanings);
      meanings.set(where, [...(meanings.get(where) ?? []), label]);
    }
  }
  // `pkg#browser` and `pkg#default` are builds of one package: they may declare a name twice for one meaning.
  const packagesOf = (meanings: Map<string, string[]>) =>
    new Set([...meanings.values()].flat().map((label) => label.split('#')[0]));
  return [...byName]
    .filter(([, meanings]) => meanings.size > 1 && packagesOf(meanings).size > 1)
    .map(([name, meanings]) => ({
      name,
      meanings: [...meanings].map(([declaration, exportedBy]) => ({ declaration, exportedBy })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  exports?: Record<string, unknown>;
}

/**
 * The source entry points (`@redivis-ts/source` condition; `browser` and `default` when it has both) of a
 * package and of every workspace package it depends on, directly or not: everything the package re-exports from.
 *
 * @param packageDir - Folder of the package to start from.
 */
export function workspaceEntries(packageDir: string): Record<string, string> {
  const packagesDir = dirname(packageDir);
  const folderOf = new Map<string, string>();
  const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  for (const folder of ts.sys.getDirectories(packagesDir)) {
    if (ts.sys.fileExists(join(packagesDir, folder, 'package.json'))) {
      folderOf.set(read(join(packagesDir, folder)).name, join(packagesDir, folder));
    }
  }
  const entries: Record<string, string> = {};
  const visit = (dir: string) => {
    const pkg = read(dir);
    if (Object.keys(entries).some((label) => label.split('#')[0] === pkg.name)) return;
    const source = (pkg.exports?.['.'] as Record<string, unknown> | undefined)?.['@redivis-ts/source'];
    if (typeof source === 'string') entries[pkg.name] = join(dir, source);
    else if (source && typeof source === 'object') {
      for (const [condition, path] of Object.entries(source))
        entries[`${pkg.name}#${condition}`] = join(dir, String(path));
    } else throw new Error(`${pkg.name} has no @redivis-ts/source entry point`);
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
      const depDir = folderOf.get(dep);
      if (range.startsWith('workspace:') && depDir) visit(depDir);
    }
  };
  visit(packageDir);
  return entries;
}
