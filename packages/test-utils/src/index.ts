export { chromiumArgs, chromiumPath, launchChromium } from './chromium.js';
export { serveDirectory } from './static-server.js';
