// The one TypeDoc base every docs build shares: the site (`typedoc.config.mjs`) and the TSDoc check
// (`test/tsdoc.test.ts`) both start from `baseOptions()`, so what the check validates is what the site renders.
//
// Entry points come from each package's `@redivis-ts/source` export condition rather than its `types` (dist), so
// the reference builds straight from `src/` without a prior `tsc` build, like the tests do.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGuide } from './scripts/python-methods.mjs';

/** Folder of this app (apps/docs). */
export const DOCS_DIR = dirname(fileURLToPath(import.meta.url));
/** Repository root. */
export const ROOT_DIR = resolve(DOCS_DIR, '../..');

/** The published packages, in dependency order (folders under packages/). */
export const PUBLIC_PACKAGES = ['core', 'arrow', 'upload', 'resources', 'node', 'redivis-ts', 'emulator'];

const SOURCE_CONDITION = '@redivis-ts/source';

/**
 * The source file a package's root export resolves to under the `@redivis-ts/source` condition. A nested
 * condition object (redivis-ts has `{ browser, default }`) resolves through `default`, the Node build.
 *
 * @param {string} folder - Folder name under packages/.
 * @returns {string} Absolute path of the entry point.
 */
export function sourceEntryPoint(folder) {
  const dir = join(ROOT_DIR, 'packages', folder);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  let target = pkg.exports?.['.']?.[SOURCE_CONDITION];
  while (target && typeof target === 'object') target = target.default;
  if (typeof target !== 'string') {
    throw new Error(`${pkg.name}: exports["."] has no "${SOURCE_CONDITION}" condition to document`);
  }
  return join(dir, target);
}

/**
 * Subpath entry points documented beside a package's root (`redivis-ts/compat`), as `[folder, subpath]`.
 * Each must have a `@redivis-ts/source` condition in the package's exports.
 */
export const SUBPATH_ENTRIES = [['redivis-ts', './compat']];

/**
 * The source file of one subpath export under the `@redivis-ts/source` condition.
 *
 * @param {string} folder - Folder name under packages/.
 * @param {string} subpath - The export key, e.g. `./compat`.
 * @returns {string} Absolute path of the entry point.
 */
export function subpathEntryPoint(folder, subpath) {
  const dir = join(ROOT_DIR, 'packages', folder);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const target = pkg.exports?.[subpath]?.[SOURCE_CONDITION];
  if (typeof target !== 'string') {
    throw new Error(`${pkg.name}: exports["${subpath}"] has no "${SOURCE_CONDITION}" condition to document`);
  }
  return join(dir, target);
}

/**
 * Module names the reference has: every public package plus each subpath entry (`redivis-ts/compat`).
 *
 * @param {(folder: string) => string} readName - Package name of a folder under packages/.
 * @returns {string[]}
 */
export function moduleNames(readName) {
  return [
    ...PUBLIC_PACKAGES.map(readName),
    ...SUBPATH_ENTRIES.map(([folder, subpath]) => `${readName(folder)}${subpath.slice(1)}`),
  ];
}

/**
 * Options shared by every TypeDoc run over the public packages.
 *
 * @param {{ packages?: string[] }} [opts] - Which package folders to document (default: all public ones).
 * @returns {import('typedoc').TypeDocOptions}
 */
export function baseOptions({ packages = PUBLIC_PACKAGES } = {}) {
  return {
    name: 'redivis-ts',
    entryPointStrategy: 'resolve',
    entryPoints: [
      ...packages.map(sourceEntryPoint),
      ...SUBPATH_ENTRIES.filter(([folder]) => packages.includes(folder)).map(([folder, subpath]) =>
        subpathEntryPoint(folder, subpath),
      ),
    ],
    tsconfig: join(DOCS_DIR, 'tsconfig.typedoc.json'),
    plugin: [join(DOCS_DIR, 'typedoc-plugin-package-names.mjs')],
    // No public git remote yet, so "Defined in" links would point nowhere.
    disableSources: true,
    // Type errors are the typecheck task's job; the reference must still build while a package is mid-change.
    skipErrorChecking: true,
    excludePrivate: true,
    excludeProtected: false,
    excludeInternal: true,
    excludeExternals: true,
    // Re-exports (redivis-ts re-exports core and resources) link to the one original declaration.
    excludeReferences: false,
    sort: ['kind', 'instance-first', 'alphabetical-ignoring-documents'],
    // The landing page is written for users; the repository README is for contributors.
    readme: join(DOCS_DIR, 'index.md'),
    projectDocuments: [join(DOCS_DIR, 'guides', '*.md'), writeGuide()],
    validation: {
      notExported: true,
      invalidLink: true,
      invalidPath: true,
      rewrittenLink: true,
      notDocumented: false,
    },
    // Warnings about missing docs are reported by test/tsdoc.test.ts, which names every one; the site build
    // should not drown them in the console.
    logLevel: 'Warn',
  };
}
