import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieClient, startTestEmulator, type TestEmulator } from '../../emulator/test/oauth-helpers.js';
import { deviceLogin, fileTokenStore, openUrl } from '../src/index.js';

let t: TestEmulator;
let dir: string;
beforeAll(async () => {
  t = await startTestEmulator({ deviceIntervalSec: 1, deviceCodeTtlSec: 600, codeTtlSec: 120 });
  dir = await mkdtemp(join(tmpdir(), 'redivis-login-'));
});
afterAll(async () => {
  await t?.emu.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('deviceLogin', () => {
  it('prints the URL and code, signs in through the device flow and keeps the token in a 0600 file', async () => {
    const path = join(dir, 'credentials.json');
    const printed: string[] = [];
    const opened: string[] = [];
    const alice = new CookieClient(t.origin);
    await alice.signIn('alice');
    const provider = deviceLogin({
      oauthOrigin: t.origin,
      store: fileTokenStore({ path }),
      output: { write: (text: string) => printed.push(text) },
      open: async (url) => {
        opened.push(url);
        // The "browser": the signed-in user approves on the page the URL opens.
        const { res } = await alice.decideDevice(new URL(url).pathname + new URL(url).search, 'approve');
        expect(res.status).toBe(200);
        return true;
      },
    });
    const token = await provider.getToken();
    expect(token).toMatch(/\S+/);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toContain('/oauth/device?user_code=');
    const text = printed.join('');
    expect(text).toContain(opened[0]);
    expect(text).toContain('browser has been opened');
    expect(text).not.toContain(token);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await fileTokenStore({ path }).get())?.accessToken).toBe(token);
    // A second provider on the same file signs in without asking.
    const again = deviceLogin({
      oauthOrigin: t.origin,
      store: fileTokenStore({ path }),
      output: { write: () => expect.unreachable('no prompt expected') },
      open: async () => expect.unreachable('no browser expected'),
    });
    expect(await again.getToken()).toBe(token);
  });
});

describe('openUrl', () => {
  it('refuses anything but http(s) URLs', async () => {
    expect(await openUrl('file:///etc/passwd')).toBe(false);
    expect(await openUrl('javascript:alert(1)')).toBe(false);
    expect(await openUrl('not a url')).toBe(false);
  });
});
