// Measures what @redivis-ts/core costs in a browser bundle: the published dist build (and its npm dependencies)
// bundled by esbuild for the browser, minified, then gzipped. `--readme` writes the figures into
// packages/core/README.md between the size markers.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const coreDir = join(root, 'packages/core');
const readme = join(coreDir, 'README.md');

if (!existsSync(join(coreDir, 'dist/index.js'))) {
  console.log('packages/core/dist is missing; building it…');
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: coreDir, stdio: 'inherit' });
}

// Each entry is what an application imports; tree shaking drops the rest.
const entries = [
  ['whole package (`export *`)', `export * from '@redivis-ts/core';`],
  ['createTransport + staticToken', `export { createTransport, staticToken } from '@redivis-ts/core';`],
  [
    'createTransport + authorizationCodeFlow + popupAuthorize + sessionStorageTokenStore',
    `export { createTransport, authorizationCodeFlow, sessionStorageTokenStore, popupAuthorize } from '@redivis-ts/core';`,
  ],
];

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const rows = [];
for (const [label, contents] of entries) {
  const result = await build({
    // Resolved from inside the package, so `@redivis-ts/core` self-references its exports map (dist, no source
    // condition) and its dependencies come from its own node_modules.
    stdin: { contents, resolveDir: coreDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  const bytes = result.outputFiles[0].contents;
  rows.push({ label, minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
}

const table = [
  '| Import | Minified | Minified + gzip |',
  '| --- | ---: | ---: |',
  ...rows.map((r) => `| ${r.label} | ${kb(r.minified)} | ${kb(r.gzip)} |`),
].join('\n');
console.log(table);

if (process.argv.includes('--readme')) {
  const start = '<!-- size:start -->';
  const end = '<!-- size:end -->';
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${readme} has no ${start} … ${end} section`);
  const when = new Date().toISOString().slice(0, 10);
  const body = `${start}\n${table}\n\nMeasured ${when} with \`pnpm size\` (esbuild, \`platform: 'browser'\`, minified; gzip level 9).\n${end}`;
  writeFileSync(readme, text.slice(0, from) + body + text.slice(to + end.length));
  console.log(`Updated ${readme}`);
}
