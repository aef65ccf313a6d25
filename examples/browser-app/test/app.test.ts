// The example page end to end in headless Chromium against the emulator (cross-origin, so CORS is exercised):
// sign in through the emulator's login and consent pages in a popup (clicking Approve), browse, preview, chart,
// query, and upload a CSV picked from disk into a new unreleased dataset.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { launchChromium, serveDirectory } from '@redivis-ts/test-utils';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, buildApp } from '../scripts/build.mjs';

const OUT = mkdtempSync(join(tmpdir(), 'redivis-browser-app-'));
let emulator: RunningEmulator;
let site: { url: string; close: () => Promise<void> };
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // The page is bundled from redivis-ts's dist (its browser build), as an app would use the published package.
  execFileSync(
    'npx',
    ['-y', 'pnpm@10', 'exec', 'turbo', 'run', 'build', '--filter=redivis-ts', '--output-logs=errors-only'],
    {
      cwd: join(APP_DIR, '../..'),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await buildApp(OUT);
  emulator = await startEmulator({ seedRows: 50, rateLimit: false });
  site = await serveDirectory(OUT);
  browser = await launchChromium();
  page = await browser.newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await emulator?.stop();
  rmSync(OUT, { recursive: true, force: true });
});

const text = (selector: string) => page.locator(selector).innerText();

describe('the browser example app', () => {
  it('signs in through the consent popup, then browses, previews, charts, queries and uploads', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.url}/index.html?api=${encodeURIComponent(emulator.url)}`);
    expect(new URL(site.url).port).not.toBe(new URL(emulator.url).port); // cross-origin: CORS in play

    const popupOpened = page.waitForEvent('popup');
    await page.click('#sign-in');
    const popup = await popupOpened;
    await popup.click('button[data-user="alice"]');
    await popup.waitForSelector('#approve');
    expect(await popup.locator('body').innerText()).toContain('alice');
    const closed = popup.waitForEvent('close');
    await popup.click('#approve');
    await closed;
    await page.waitForFunction(() => document.getElementById('user')?.textContent?.includes('alice'));
    expect(await text('#user')).toBe('Signed in as alice');

    await page.click('#datasets button:text-is("Iris species")');
    expect(await page.locator('#datasets button:text-is("Iris species")').getAttribute('data-ref')).toMatch(
      /^demo\.iris_species/,
    );
    await page.click('#tables button:text-is("iris")');
    await page.waitForSelector('#preview table tbody tr');
    expect(await page.locator('#preview tbody tr').count()).toBe(10);
    expect(await page.locator('#preview th').allInnerTexts()).toContain('sepal_length');

    await page.waitForSelector('#chart svg rect');
    const counts = await page
      .locator('#chart rect')
      .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-count'))));
    expect(counts.length).toBeGreaterThan(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(150);

    await page.click('#run');
    await page.waitForSelector('#query-result tbody tr');
    expect(await page.locator('#query-result tbody tr').allInnerTexts()).toEqual([
      'setosa\t50',
      'versicolor\t50',
      'virginica\t50',
    ]);

    const csv = join(OUT, 'people.csv');
    writeFileSync(csv, 'id,name\n1,Ada\n2,Alan\n3,Grace\n');
    await page.setInputFiles('#csv', csv);
    await page.click('#upload');
    await page.waitForFunction(() =>
      document.getElementById('upload-status')?.textContent?.startsWith('Uploaded'),
    );
    expect(await text('#upload-status')).toMatch(
      /^Uploaded 3 rows into alice\.browser_upload_\d+:next\S*\.uploaded\S* \(unreleased\)$/,
    );
    expect(await page.locator('#upload-result tbody tr').allInnerTexts()).toEqual([
      '1\tAda',
      '2\tAlan',
      '3\tGrace',
    ]);

    expect(await text('#error')).toBe('');
    expect(errors).toEqual([]);
  }, 240_000);
});
