// Bundle sizes of the example page and of a minimal read (createClient + table.toArrowTable), measured with Vite from
// redivis-ts's browser build, and what must never be in a browser bundle. The figures are recorded in the README.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR } from '../scripts/build.mjs';
import { describe as describeLoad, measure, modulesIn, UNUSED_BY_A_READ } from '../scripts/size.mjs';

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
  for (const m of [app, minimal]) console.log(describeLoad(m));
}, 600_000);

describe('browser bundle sizes', () => {
  it('bundles from the browser build: no Node modules, no emulator, no DuckDB, no file system code', () => {
    for (const m of [app, minimal]) {
      const inputs = [...m.initial.inputs, ...m.onDemand.inputs];
      const nodeOnly = inputs.filter((i) =>
        /(^|\/)node:|browser-external|packages\/node\/|packages\/emulator\/|@duckdb|redivis-ts\/dist\/index\.js$/.test(
          i,
        ),
      );
      expect(nodeOnly, m.entry).toEqual([]);
      expect(
        m.initial.inputs.some((i) => i.includes('redivis-ts/dist/browser.js')),
        m.entry,
      ).toBe(true);
    }
  });

  it('a minimal read loads no upload encoder, upload protocol, download, export or raw-file code up front', () => {
    expect(modulesIn(minimal.initial.inputs)).toEqual([]);
    // The same code is still in the build, loaded with import() on first use: the check above looks at real paths.
    expect(modulesIn(minimal.onDemand.inputs).sort()).toEqual(Object.keys(UNUSED_BY_A_READ).sort());
  });

  it('the page loads its upload code only when it uploads', () => {
    const upload = {
      encoder: UNUSED_BY_A_READ['the Parquet encoder'],
      writer: UNUSED_BY_A_READ['hyparquet-writer'],
    };
    expect(modulesIn(app.initial.inputs, upload)).toEqual([]);
    expect(modulesIn(app.onDemand.inputs, upload)).toEqual(['encoder', 'writer']);
  });

  it('a minimal read is no larger than the whole page, and the page code itself is small', () => {
    expect(minimal.initial.bytes).toBeLessThanOrEqual(app.initial.bytes);
    // What the page adds on top of the library: its own modules only.
    expect(app.initial.bytes - minimal.initial.bytes).toBeLessThan(40 * 1024);
  });
});
