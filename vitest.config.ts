import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Resolve workspace packages to their TypeScript sources so tests never need a prior build.
const conditions = ['@redivis-ts/source', 'module', 'node', 'import', 'default'];
const jsonReport = process.env.VITEST_JSON_REPORT;
// Paths are relative to the repository root, so package scripts can run one project from their own folder.
const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const packageDirs = ['packages', 'apps', 'examples'].flatMap((root) =>
  existsSync(`${repoRoot}/${root}`)
    ? readdirSync(`${repoRoot}/${root}`)
        .map((name) => `${root}/${name}`)
        .filter((dir) => existsSync(`${repoRoot}/${dir}/package.json`))
    : [],
);

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  root: repoRoot,
  test: {
    // CI runs on 2 cores shared with other sessions: a CPU-bound property test that takes 14 s there took 50 s at
    // low priority, past the old 30 s. A limit exists to end a hung test, not to time a slow machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    setupFiles: [`${repoRoot}/scripts/test/fast-check-seed.ts`],
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
    projects: packageDirs.map((dir) => ({
      extends: true as const,
      test: {
        name: dir.split('/')[1],
        include: [`${dir}/**/*.test.ts`],
        exclude: ['**/node_modules/**', '**/dist/**'],
      },
    })),
  },
});
