// Browser tests run in Debian's chromium; install it on machines that lack it (CI, fresh clones).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.log(`chromium not found at ${path}; installing Debian's chromium package…`);
  try {
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    execSync(
      `${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium`,
      {
        stdio: 'inherit',
      },
    );
  } catch {
    console.error(
      'Could not install chromium: browser tests will fail. Install it with `apt-get install chromium`.',
    );
    process.exitCode = 1;
  }
}
