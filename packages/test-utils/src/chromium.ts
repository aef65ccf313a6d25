// Every browser test runs Debian's chromium the same way; the flags keep it from reaching the network on its own.
import { type Browser, chromium } from 'playwright-core';

/** Where Debian installs chromium; `scripts/ensure-chromium.mjs` installs it there when missing. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags every test browser starts with: headless, no sandbox (CI runs as root), no background traffic. */
export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/** Launches headless Chromium for a test; close it in `afterAll`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
}
