// Both OAuth flows and the token settings page, with every Approve / Deny / Revoke clicked in real headless
// Chromium. One browser for the whole file; each test gets its own browser context (cookie jar).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium } from '@redivis-ts/test-utils';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEVICE_GRANT,
  jwtPayload,
  pkcePair,
  postDeviceAuthorization,
  postToken,
  startTestEmulator,
  type TestEmulator,
} from './oauth-helpers.js';

const OOB = 'urn:ietf:wg:oauth:2.0:oob';
const OOB_AUTO = 'urn:ietf:wg:oauth:2.0:oob:auto';
let t: TestEmulator;
let browser: Browser;
let context: BrowserContext;
let callback: Server;
let callbackUrl: string;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestEmulator(), launchChromium()]);
  // The "application" an http(s) redirect_uri points at: it just shows the query it received.
  callback = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url);
  });
  await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
  callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
});
afterEach(async () => {
  await context?.close();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => callback?.close(r));
  await t?.emu.stop();
});

async function newPage(): Promise<Page> {
  context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

function authorizeUrl(challenge: string, redirectUri: string, scope = 'data.data'): string {
  const q = new URLSearchParams({
    scope,
    redirect_uri: redirectUri,
    response_type: 'code',
    state: 'browser-state',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${t.origin}/oauth/authorize?${q}`;
}

/** Signs in on the login page the authorize URL redirected to, by clicking the user's button. */
async function signInAs(page: Page, user: string): Promise<void> {
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.click(`button[data-user="${user}"]`);
  expect(await page.locator('#signed-in-user').textContent()).toBe(user);
}

function api(path: string, token: string): Promise<Response> {
  return fetch(`${t.emu.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
}

describe('authorization code + PKCE in Chromium', () => {
  it('signs in, approves, copies the oob code and uses the token against the API', async () => {
    const page = await newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(challenge, OOB));
    await signInAs(page, 'alice');
    expect(await page.textContent('#requested-scopes')).toContain('data.data');
    await page.click('#approve');
    const code = (await page.textContent('#authorization-code'))?.trim() as string;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { status, body } = await postToken(
      t.origin,
      { grant_type: 'authorization_code', code, redirect_uri: OOB, code_verifier: verifier },
      'json',
    );
    expect(status).toBe(200);
    const token = body.access_token as string;
    expect(jwtPayload(token).scope).toBe('data.data');
    const me = await api('/users/me', token);
    expect(me.status).toBe(200);
    expect((await me.json()).name).toBe('alice');
  });

  it('posts {code, state} to the opener for oob:auto', async () => {
    const page = await newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(`${t.origin}/login`);
    await signInAs(page, 'bob');
    const message = page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          window.addEventListener('message', (e) => resolve(e.data as string), { once: true });
          window.open(url, 'redivis-oauth', 'width=500,height=600');
        }),
      authorizeUrl(challenge, OOB_AUTO, 'data.metadata'),
    );
    const popup = await context.waitForEvent('page');
    await popup.click('#approve');
    const data = JSON.parse(await message) as { code: string; state: string };
    expect(data.state).toBe('browser-state');
    const { body } = await postToken(
      t.origin,
      { grant_type: 'authorization_code', code: data.code, redirect_uri: OOB_AUTO, code_verifier: verifier },
      'json',
    );
    expect(jwtPayload(body.access_token as string)).toMatchObject({ name: 'bob', scope: 'data.metadata' });
  });

  it('redirects to an http redirect_uri with the code, or with access_denied after Deny', async () => {
    const page = await newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(challenge, callbackUrl));
    await signInAs(page, 'alice');
    await Promise.all([page.waitForURL(`${callbackUrl}?**`), page.click('#approve')]);
    const approved = new URL(page.url());
    expect(approved.searchParams.get('state')).toBe('browser-state');
    const { status } = await postToken(t.origin, {
      grant_type: 'authorization_code',
      code: approved.searchParams.get('code') as string,
      redirect_uri: callbackUrl,
      code_verifier: verifier,
    });
    expect(status).toBe(200);

    await page.goto(authorizeUrl(pkcePair().challenge, callbackUrl));
    await Promise.all([page.waitForURL(`${callbackUrl}?**`), page.click('#deny')]);
    const denied = new URL(page.url());
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('code')).toBeNull();
  });
});

describe('device flow in Chromium', () => {
  it('polls pending, the user approves on the verification page, then the token works with its scopes', async () => {
    const { verifier, challenge } = pkcePair();
    const res = await postDeviceAuthorization(
      t.origin,
      {
        client_id: '7YGtYWuQot1TEe0pHB3EPSj5',
        scope: 'data.metadata',
        amr_values: null,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        access_type: 'offline',
      },
      'json',
    );
    const device = res.body as Record<string, string & number>;
    const poll = {
      client_id: '7YGtYWuQot1TEe0pHB3EPSj5',
      grant_type: DEVICE_GRANT,
      device_code: device.device_code,
      code_verifier: verifier,
    };
    expect((await postToken(t.origin, poll)).body.error).toBe('authorization_pending');

    const page = await newPage();
    await page.goto(device.verification_uri_complete);
    await signInAs(page, 'alice');
    expect(await page.textContent('#confirm-user-code')).toBe(device.user_code);
    await page.click('#approve');
    expect(await page.getAttribute('#device-result', 'data-result')).toBe('approved');

    t.advance(device.interval * 1000);
    const { status, body } = await postToken(t.origin, poll);
    expect(status).toBe(200);
    expect(body.refresh_token).toEqual(expect.any(String));
    const token = body.access_token as string;
    expect((await (await api('/users/me', token)).json()).name).toBe('alice');
    // data.metadata reaches variables but not rows of a members-only dataset.
    expect((await api('/tables/demo.weather_sample.stations/variables', token)).status).toBe(200);
    const rows = await api('/tables/demo.weather_sample.stations/rows?maxResults=1', token);
    expect(rows.status).toBe(403);
    expect(await rows.json()).toMatchObject({ error: 'insufficient_scope' });
  });
});

describe('token settings page in Chromium', () => {
  it('creates a token shown once, narrows its scopes, and a revoked token gets 401 at once', async () => {
    const page = await newPage();
    await page.goto(`${t.origin}/settings/tokens`);
    await signInAs(page, 'alice');
    await page.fill('#new-token-name', 'notebook token');
    await page.check('#create-token input[value="data.data"]');
    await page.check('#create-token input[value="data.metadata"]');
    await page.click('#create-token-button');
    const value = (await page.textContent('#new-token-value'))?.trim() as string;
    const row = page.locator('tr[data-token-name="notebook token"]');
    expect(await row.locator('.token-scopes').textContent()).toBe('public data.metadata data.data');
    await page.reload();
    expect(await page.content()).not.toContain(value);
    expect(await row.count()).toBe(1);

    const rowsPath = '/tables/demo.weather_sample.stations/rows?maxResults=1';
    expect((await api(rowsPath, value)).status).toBe(200);
    await row.locator('summary').click();
    await row.locator('input[name="name"]').fill('metadata token');
    await row.locator('input[value="data.data"]').uncheck();
    await row.locator('button[type="submit"]', { hasText: 'Save' }).click();
    const renamed = page.locator('tr[data-token-name="metadata token"]');
    expect(await renamed.locator('.token-scopes').textContent()).toBe('public data.metadata');
    expect((await api(rowsPath, value)).status).toBe(403);

    await renamed.locator('button[data-revoke]').click();
    await page.locator('tr[data-token-name="metadata token"]').waitFor({ state: 'detached' });
    const revoked = await api('/users/me', value);
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error).toBe('invalid_token');
  });
});
