// Bundle sizes of the example page and of a minimal read (createClient + table.toArrowTable), measured from
// redivis-ts's browser build, and what must never be in a browser bundle. The figures are recorded in the README.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR } from '../scripts/build.mjs';
import { classesIn, measure, UNUSED_BY_A_READ } from '../scripts/size.mjs';

type Measured = Awaited<ReturnType<typeof measure>>;
let app: Measured;
let minimal: Measured;

beforeAll(async () => {
  execFileSync(
    'npx',
    ['-y', 'pnpm@10', 'exec', 'turbo', 'run', 'build', '--filter=redivis-ts', '--output-logs=errors-only'],
    {
      cwd: join(APP_DIR, '../..'),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  app = await measure('src/app.ts');
  minimal = await measure('src/minimal-read.ts');
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  for (const m of [app, minimal]) {
    const unused = classesIn(m.inputs, UNUSED_BY_A_READ).join(', ') || 'none';
    console.log(
      `${m.entry}: ${kib(m.bytes)} minified, ${kib(m.gzipBytes)} gzip; unused resource classes: ${unused}`,
    );
  }
}, 600_000);

describe('browser bundle sizes', () => {
  it('bundles from the browser build: no Node modules, no emulator, no DuckDB, no file system code', () => {
    for (const m of [app, minimal]) {
      const nodeOnly = m.inputs.filter((i) =>
        /(^|\/)node:|packages\/node\/|packages\/emulator\/|@duckdb|redivis-ts\/dist\/index\.js$/.test(i),
      );
      expect(nodeOnly, m.entry).toEqual([]);
      expect(
        m.inputs.some((i) => i.includes('redivis-ts/dist/browser.js')),
        m.entry,
      ).toBe(true);
    }
  });

  it('a minimal read is no larger than the whole page, and the page code itself is small', () => {
    expect(minimal.bytes).toBeLessThanOrEqual(app.bytes);
    // What the page adds on top of the library: its own modules only.
    expect(app.bytes - minimal.bytes).toBeLessThan(40 * 1024);
  });
});
