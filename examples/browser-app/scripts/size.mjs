// Measures what the browser build costs an app: this example page, and the smallest useful read (createClient +
// table.toArrowTable), each bundled by Vite (Rollup, minified) from redivis-ts's browser build as an app author's
// build would. A page first downloads its entry chunk and the chunks that imports statically ("initial"); what the
// library loads with `import()` (the upload encoder, downloads, raw-file listings, the WKT parser) comes later, only
// when used ("on demand"). Prints raw and gzip bytes of both and which unused code the initial load holds.
// Run after `turbo run build` (it bundles redivis-ts's dist/): node scripts/size.mjs
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { APP_DIR } from './build.mjs';

/**
 * Code a read of one table has no use for, by the module that holds it (matched against module paths): none of it
 * may reach a minimal read's initial load. Export, Directory and File are the resource classes a table makes only
 * inside async methods (`download()`, `toDirectory()`, `file()`), so they load on demand.
 */
export const UNUSED_BY_A_READ = {
  Export: 'resources/dist/Export.js',
  Directory: 'resources/dist/Directory.js',
  File: 'resources/dist/File.js',
  'file downloads': 'resources/dist/download.js',
  'table.addFiles': 'resources/dist/add-files.js',
  'upload.create / insertRows': 'resources/dist/upload-write.js',
  'notebook.createOutputTable': 'resources/dist/output-table.js',
  'the upload protocol': 'upload/dist/create-upload.js',
  'the Parquet encoder': 'upload/dist/parquet.js',
  'hyparquet-writer': '/hyparquet-writer/',
  'the WKT parser': '/@terraformer/wkt/',
};

/**
 * @typedef {{ bytes: number, gzipBytes: number, inputs: string[] }} Load
 * @typedef {{ entry: string, initial: Load, onDemand: Load }} Measured
 */

/**
 * Bundle an entry with Vite and describe its initial load and what loads on demand.
 *
 * @param {string} entry - Path relative to the app folder.
 * @returns {Promise<Measured>}
 */
export async function measure(entry) {
  const result = await build({
    configFile: false,
    root: APP_DIR,
    logLevel: 'silent',
    mode: 'production',
    build: {
      write: false,
      target: 'es2022',
      minify: 'esbuild',
      modulePreload: false,
      reportCompressedSize: false,
      // Keep the entry's exports, as for a module an app imports (Vite drops an app entry's exports otherwise).
      rollupOptions: { input: join(APP_DIR, entry), preserveEntrySignatures: 'exports-only' },
    },
  });
  const output = (Array.isArray(result) ? result[0] : result).output.filter((o) => o.type === 'chunk');
  const byName = new Map(output.map((c) => [c.fileName, c]));
  const entryChunk = output.find((c) => c.isEntry);
  if (!entryChunk) throw new Error(`Vite wrote no entry chunk for ${entry}`);
  // The initial load: the entry chunk and every chunk it imports statically, transitively.
  const initial = new Set([entryChunk.fileName]);
  for (const name of initial) for (const imported of byName.get(name)?.imports ?? []) initial.add(imported);
  const load = (chunks) => ({
    bytes: chunks.reduce((n, c) => n + Buffer.byteLength(c.code), 0),
    gzipBytes: chunks.reduce((n, c) => n + gzipSync(c.code).length, 0),
    inputs: chunks.flatMap((c) =>
      Object.entries(c.modules)
        .filter(([, m]) => m.renderedLength > 0)
        .map(([id]) => id),
    ),
  });
  return {
    entry,
    initial: load(output.filter((c) => initial.has(c.fileName))),
    onDemand: load(output.filter((c) => !initial.has(c.fileName))),
  };
}

/**
 * Which of the named modules `inputs` contains.
 *
 * @param {string[]} inputs
 * @param {Record<string, string>} [modules]
 * @returns {string[]} Their names.
 */
export function modulesIn(inputs, modules = UNUSED_BY_A_READ) {
  return Object.entries(modules)
    .filter(([, path]) => inputs.some((i) => i.includes(path)))
    .map(([name]) => name);
}

/**
 * One line about a measured entry: both loads' sizes and any unused code in the initial load.
 *
 * @param {Measured} m
 * @returns {string}
 */
export function describe(m) {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  return `${m.entry}: initial ${kib(m.initial.bytes)} minified, ${kib(m.initial.gzipBytes)} gzip; on demand ${kib(
    m.onDemand.bytes,
  )}, ${kib(m.onDemand.gzipBytes)} gzip; unused code in the initial load: ${
    modulesIn(m.initial.inputs).join(', ') || 'none'
  }`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const entry of ['src/app.ts', 'src/minimal-read.ts']) console.log(describe(await measure(entry)));
}
