import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Resolve workspace packages to their TypeScript sources so tests never need a prior build.
const conditions = ['@redivis-ts/source', 'module', 'node', 'import', 'default'];
const jsonReport = process.env.VITEST_JSON_REPORT;
const packageDirs = ['packages', 'apps'].flatMap((root) =>
  existsSync(root)
    ? readdirSync(root)
        .map((name) => `${root}/${name}`)
        .filter((dir) => existsSync(`${dir}/package.json`))
    : [],
);

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
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
