// Measures what the browser build costs an app: this example page, and the smallest useful read (createClient +
// table.toArrowTable). Prints raw and gzip bytes and, from esbuild's metafile, which resource classes and
// packages went in. Run after `turbo run build` (it bundles redivis-ts's dist/): node scripts/size.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundle } from './build.mjs';

/** Resource classes a read of one table has no use for. */
export const UNUSED_BY_A_READ = [
  'Notebook',
  'Transform',
  'Parameter',
  'Datasource',
  'Member',
  'Secret',
  'Export',
];

/**
 * Bundle an entry and describe it.
 *
 * @param {string} entry - Path relative to the app folder.
 * @returns {Promise<{ entry: string, bytes: number, gzipBytes: number, inputs: string[] }>}
 */
export async function measure(entry) {
  const dir = mkdtempSync(join(tmpdir(), 'redivis-size-'));
  try {
    const out = join(dir, 'out.js');
    const meta = await bundle(entry, out);
    const code = readFileSync(out);
    const output = Object.values(meta.outputs)[0];
    const inputs = Object.entries(output?.inputs ?? {})
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k]) => k);
    return { entry, bytes: code.length, gzipBytes: gzipSync(code).length, inputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Which of `classes` a bundle contains (a resources dist module named after the class with bytes in the output).
 *
 * @param {string[]} inputs
 * @param {string[]} classes
 * @returns {string[]}
 */
export function classesIn(inputs, classes) {
  return classes.filter((c) => inputs.some((i) => i.includes('resources/dist/') && i.endsWith(`/${c}.js`)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  for (const entry of ['src/app.ts', 'src/minimal-read.ts']) {
    const m = await measure(entry);
    console.log(
      `${entry}: ${kib(m.bytes)} minified, ${kib(m.gzipBytes)} gzip; unused resource classes inside: ${
        classesIn(m.inputs, UNUSED_BY_A_READ).join(', ') || 'none'
      }`,
    );
  }
}
