// scripts/sync-version.mjs runs after `changeset version` (root script `version-packages`): it must carry each new
// package.json version into the package's VERSION constant and touch nothing else.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../typedoc.base.mjs';

const SCRIPT = join(ROOT_DIR, 'scripts', 'sync-version.mjs');
const VERSION_TS = `/** The version. */
export const VERSION = '0.0.0';

/** The client name. */
export const CLIENT_NAME = 'redivis-ts';
`;

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A fake repository: core at `coreVersion` with a version.ts, and a package without one. */
function fakeRepo(coreVersion: string): string {
  root = mkdtempSync(join(tmpdir(), 'sync-version-'));
  mkdirSync(join(root, 'packages/core/src/client'), { recursive: true });
  writeFileSync(
    join(root, 'packages/core/package.json'),
    JSON.stringify({ name: 'core', version: coreVersion }),
  );
  writeFileSync(join(root, 'packages/core/src/client/version.ts'), VERSION_TS);
  mkdirSync(join(root, 'packages/arrow/src'), { recursive: true });
  writeFileSync(
    join(root, 'packages/arrow/package.json'),
    JSON.stringify({ name: 'arrow', version: coreVersion }),
  );
  return root;
}

async function sync(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args]);
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('scripts/sync-version.mjs', () => {
  it('rewrites VERSION from package.json after a bump, leaving the rest of the file alone', async () => {
    const dir = fakeRepo('0.4.0');
    const check = await sync('--check', dir);
    expect(check.code).toBe(1);
    expect(check.out).toContain('packages/core/src/client/version.ts: 0.0.0 → 0.4.0');
    expect(readFileSync(join(dir, 'packages/core/src/client/version.ts'), 'utf8')).toBe(VERSION_TS);

    const write = await sync(dir);
    expect(write.code).toBe(0);
    expect(readFileSync(join(dir, 'packages/core/src/client/version.ts'), 'utf8')).toBe(
      VERSION_TS.replace("'0.0.0'", "'0.4.0'"),
    );
    expect((await sync('--check', dir)).code).toBe(0);
  });

  it('fails loudly when a version file no longer has the constant it rewrites', async () => {
    const dir = fakeRepo('1.0.0');
    writeFileSync(
      join(dir, 'packages/core/src/client/version.ts'),
      'export const VERSION: string = pkg.version;\n',
    );
    const result = await sync(dir);
    expect(result.code).toBe(1);
    expect(result.out).toContain('no `export const VERSION');
  });

  it('finds this repository in step', async () => {
    expect(await sync('--check')).toEqual({ code: 0, out: '' });
  });
});
