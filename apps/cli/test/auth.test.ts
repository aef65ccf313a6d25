// `redivis auth …` against the emulator's OAuth server, the device flow approved in real headless Chromium.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { launchChromium } from '@redivis-ts/test-utils';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCli, type TestCli } from './helpers/run.js';

let cli: TestCli;
let browser: Browser;
// No token in the environment: the commands must use the stored login.
const env = { REDIVIS_API_TOKEN: undefined };

beforeAll(async () => {
  [cli, browser] = await Promise.all([startTestCli(50), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await cli?.stop();
});

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('auth', () => {
  it('says how to log in when there is no token', async () => {
    const status = await cli.run(['auth', 'status'], { env });
    expect(status).toEqual({
      code: 3,
      stdout: '',
      stderr:
        'error: Not logged in\nhint: run `redivis auth login`, pass --token, or set REDIVIS_API_TOKEN\n',
    });
    expect((await cli.run(['auth', 'token'], { env })).code).toBe(3);
  });

  it('logs in through the device flow approved in Chromium, then uses, shows, prints and forgets the login', async () => {
    const login = cli.start(['auth', 'login', '--no-browser', '--scope', 'data.metadata', 'data.data'], {
      env,
    });
    const url = await waitFor(
      () => /(http\S+\/oauth\/device\?user_code=\S+)/.exec(login.stderr())?.[1],
      'the URL',
    );
    expect(login.stderr()).toMatch(/confirm the code [A-Z0-9]{4}-[A-Z0-9]{4}/);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto(url);
      await page.click('button[data-user="alice"]');
      await page.click('#approve');
      expect(await page.getAttribute('#device-result', 'data-result')).toBe('approved');
    } finally {
      await context.close();
    }
    const done = await login.result;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('✓ Logged in as alice (data.metadata data.data)');

    const file = join(cli.dir, 'config', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const status = await cli.run(['--json', 'auth', 'status'], { env });
    expect(JSON.parse(status.stdout)).toMatchObject({
      user: 'alice',
      tokenSource: 'stored login',
      scope: ['data.metadata', 'data.data'],
    });
    const token = await cli.run(['auth', 'token'], { env });
    expect(token.stdout).toMatch(/^\S{20,}\n$/);
    expect(status.stdout).not.toContain(token.stdout.trim());
    const me = await fetch(`${cli.emu.url}/users/me`, {
      headers: { Authorization: `Bearer ${token.stdout.trim()}` },
    });
    expect(((await me.json()) as { name: string }).name).toBe('alice');

    const rows = await cli.run(['read', 'demo.iris_species.iris', '-n', '1', '--format', 'ndjson'], { env });
    expect(rows.code).toBe(0);
    // A --token or REDIVIS_API_TOKEN still wins over the stored login.
    const admin = await cli.run(['--json', 'auth', 'status'], {
      env: { REDIVIS_API_TOKEN: 'rdv_demo_admin_token' },
    });
    expect(JSON.parse(admin.stdout)).toMatchObject({ user: 'demo_admin', tokenSource: 'REDIVIS_API_TOKEN' });

    const logout = await cli.run(['auth', 'logout'], { env });
    expect(logout.stderr).toBe('✓ Logged out: the stored login is removed\n');
    expect((await cli.run(['auth', 'status'], { env })).code).toBe(3);
  });
});
