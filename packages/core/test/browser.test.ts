// Real headless Chromium: the core bundle (built with esbuild from source) runs an authorization-code flow through
// a popup, stores the token in sessionStorage, and a reload reuses it without another flow.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchChromium } from '@redivis-ts/test-utils';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthServer, type TestOAuthServer } from './helpers/oauth-server.js';

const coreEntry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

const page = `<!doctype html>
<html><head><script src="/core.js"></script></head>
<body><button id="go">Sign in and fetch</button>
<script>
  const { createTransport, authorizationCodeFlow, sessionStorageTokenStore, popupAuthorize, OOB_AUTO_REDIRECT_URI } =
    RedivisCore;
  const client = createTransport({
    baseUrl: location.origin + '/api/v1',
    tokenProvider: authorizationCodeFlow({
      oauthOrigin: location.origin,
      scope: ['data.data'],
      redirectUri: OOB_AUTO_REDIRECT_URI,
      store: sessionStorageTokenStore(),
      authorize: popupAuthorize(),
    }),
  });
  document.getElementById('go').addEventListener('click', () => {
    client.request({ path: '/me' }).then(
      (me) => { window.result = { ok: true, me }; },
      (error) => { window.result = { ok: false, error: String(error) }; },
    );
  });
</script></body></html>`;

let server: TestOAuthServer;
let browser: Browser;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: `export * from ${JSON.stringify(coreEntry)};`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'RedivisCore',
    platform: 'browser',
    conditions: ['@redivis-ts/source'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]!.text;
  server = await startOAuthServer();
  server.route = (_req, res, url) => {
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page);
      return true;
    }
    if (url.pathname === '/core.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(js);
      return true;
    }
    return false;
  };
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('core in a real browser', () => {
  it('authorizes through a popup, sends the bearer token, and keeps it in sessionStorage across a reload', async () => {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(server.origin);

    await tab.click('#go');
    await tab.waitForFunction(() => (window as { result?: unknown }).result !== undefined);
    const first = await tab.evaluate(() => (window as { result?: unknown }).result);
    expect(first).toEqual({ ok: true, me: { kind: 'user', scope: 'data.data' } });
    expect(errors).toEqual([]);

    const token = server.issued[0]!;
    const apiCalls = () => server.requests.filter((r) => r.path === '/api/v1/me');
    expect(apiCalls().map((r) => r.authorization)).toEqual([`Bearer ${token}`]);
    const authorize = server.requests.find((r) => r.path === '/oauth/authorize')!;
    expect(authorize.query.redirect_uri).toBe('urn:ietf:wg:oauth:2.0:oob:auto');
    expect(server.requests.find((r) => r.path === '/oauth/token')!.contentType).toBe('application/json');

    const stored = await tab.evaluate(() => sessionStorage.getItem('redivis_oauth_token'));
    expect(JSON.parse(stored!)).toMatchObject({ accessToken: token, scope: ['data.data'] });

    await tab.reload();
    await tab.click('#go');
    await tab.waitForFunction(() => (window as { result?: unknown }).result !== undefined);
    expect(await tab.evaluate(() => (window as { result?: unknown }).result)).toMatchObject({ ok: true });
    expect(server.countOf('/oauth/authorize')).toBe(1);
    expect(server.issued).toHaveLength(1);
    expect(apiCalls().map((r) => r.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);
  });
});
