// Bundles the example with esbuild from the published packages' browser builds (redivis-ts's `browser` export,
// i.e. its dist/), as an app author's bundler would; `node scripts/build.mjs` writes dist/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The example's folder. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundle one entry for browsers, minified, with its metafile (which inputs went in).
 *
 * @param {string} entry - Path relative to the app folder.
 * @param {string} outfile - Where to write the bundle.
 * @returns {Promise<import('esbuild').Metafile>}
 */
export async function bundle(entry, outfile) {
  const result = await build({
    entryPoints: [join(APP_DIR, entry)],
    outfile,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'warning',
  });
  return result.metafile;
}

/**
 * Build the page into `outdir`: index.html and app.js.
 *
 * @param {string} [outdir]
 * @returns {Promise<string>} The output folder.
 */
export async function buildApp(outdir = join(APP_DIR, 'dist')) {
  mkdirSync(outdir, { recursive: true });
  await bundle('src/app.ts', join(outdir, 'app.js'));
  copyFileSync(join(APP_DIR, 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildApp());
