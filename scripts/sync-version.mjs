#!/usr/bin/env node
// Rewrites each package's `VERSION` constant from its package.json, so that `changeset version` (which only edits
// package.json files) cannot leave the `X-Redivis-Client-Version` header behind. A JSON import would do this at run
// time, but not every bundler inlines package.json, so the constant stays a literal.
//
// Usage: node scripts/sync-version.mjs [--check] [rootDir]
//   --check  change nothing; exit 1 and name the files that are out of step.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION_FILES = ['src/client/version.ts', 'src/version.ts'];
const CONSTANT = /^(export const VERSION = )(['"])([^'"]*)\2;/m;

const args = process.argv.slice(2);
const check = args.includes('--check');
const root = resolve(args.find((a) => !a.startsWith('--')) ?? join(fileURLToPath(import.meta.url), '../..'));

const packagesDir = join(root, 'packages');
const stale = [];
let updated = 0;
for (const name of existsSync(packagesDir) ? readdirSync(packagesDir).sort() : []) {
  const pkgPath = join(packagesDir, name, 'package.json');
  if (!existsSync(pkgPath)) continue;
  const { version } = JSON.parse(readFileSync(pkgPath, 'utf8'));
  for (const file of VERSION_FILES.map((f) => join(packagesDir, name, f)).filter((f) => existsSync(f))) {
    const text = readFileSync(file, 'utf8');
    const match = CONSTANT.exec(text);
    if (!match) {
      console.error(`${relative(root, file)}: no \`export const VERSION = '…';\` line to update`);
      process.exit(1);
    }
    if (match[3] === version) continue;
    stale.push(`${relative(root, file)}: ${match[3]} → ${version}`);
    if (!check) {
      writeFileSync(file, text.replace(CONSTANT, `$1$2${version}$2;`));
      updated++;
    }
  }
}

if (check && stale.length > 0) {
  console.error(`VERSION constants out of step with package.json:\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
for (const line of stale) console.log(`updated ${line}`);
if (updated === 0 && !check) console.log('VERSION constants already match package.json');
