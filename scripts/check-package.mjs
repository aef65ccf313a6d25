// Packs the current package the way it will be published (pnpm resolves workspace: and catalog:),
// then runs publint and Are The Types Wrong on that tarball.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'redivis-pack-'));
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
try {
  run('pnpm', ['pack', '--pack-destination', dir]);
  const tarball = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.tgz')),
  );
  run('publint', ['--strict', tarball]);
  run('attw', [tarball, '--profile', 'esm-only']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
