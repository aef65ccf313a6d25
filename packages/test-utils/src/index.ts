export { chromiumArgs, chromiumPath, launchChromium } from './chromium.js';
