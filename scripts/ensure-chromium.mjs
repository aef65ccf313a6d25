// Browser tests run in Debian's chromium; install it on machines that lack it (CI, fresh clones).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.log(`chromium not found at ${path}; installing Debian's chromium package…`);
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  const command = `${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Acquire::Retries=3 chromium`;
  // A mirror that is briefly unreachable or mid-sync must not turn CI red: try three times, 15 then 30 s apart.
  for (let attempt = 1; ; attempt++) {
    try {
      execSync(command, { stdio: 'inherit' });
      break;
    } catch {
      if (attempt === 3) {
        console.error(
          'Could not install chromium: browser tests will fail. Install it with `apt-get install chromium`.',
        );
        process.exitCode = 1;
        break;
      }
      console.error(`apt-get failed (attempt ${attempt} of 3); retrying…`);
      execSync(`sleep ${15 * attempt}`);
    }
  }
}
