import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { build } from 'esbuild';
import { launchChromium } from '@redivis-ts/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, isRedivisError, NotFoundError, PlatformFeatureError, User } from '../src/index.js';
import { createClient as createBrowserClient } from '../src/browser.js';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 50, rateLimit: false });
});
afterAll(() => emu?.stop());

/** Run `fn` with REDIVIS_API_TOKEN / REDIVIS_API_ENDPOINT set, restoring the environment afterwards. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('createClient (Node)', () => {
  it('reads the token from REDIVIS_API_TOKEN and the base URL from REDIVIS_API_ENDPOINT', async () => {
    const me = await withEnv(
      { REDIVIS_API_TOKEN: 'rdv_demo_alice_token', REDIVIS_API_ENDPOINT: emu.url },
      () => createClient().currentUser(),
    );
    expect(me).toBeInstanceOf(User);
    expect(me.name).toBe('alice');
  });

  it('explicit options win over the environment', async () => {
    const redivis = await withEnv({ REDIVIS_API_TOKEN: 'rdv_demo_alice_token' }, async () =>
      createClient({ baseUrl: emu.url, apiToken: 'rdv_demo_bob_token' }),
    );
    expect((await redivis.currentUser()).name).toBe('bob');
    expect(redivis.client.baseUrl).toBe(emu.url);
  });

  it('returns the object model with typed errors re-exported', async () => {
    const redivis = createClient({ baseUrl: emu.url, apiToken: 'rdv_demo_admin_token' });
    const error = await redivis
      .dataset('demo.no_such_dataset')
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(isRedivisError(error)).toBe(true);
    expect(redivis.platform.fs).toBeDefined();
  });

  it('writes files whole and hashes them through the Node file system', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redivis-ts-'));
    try {
      const redivis = createClient({ baseUrl: emu.url, apiToken: 'rdv_demo_admin_token' });
      const target = join(dir, 'out.bin');
      await redivis.platform.fs?.writeFile(target, new TextEncoder().encode('hello'));
      expect(await readFile(target, 'utf8')).toBe('hello');
      expect(await redivis.platform.fs?.md5?.(target)).toBe('XUFAKrxLKna5cZ2REBfFkg==');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('createClient (browser build)', () => {
  it('has no file system, so downloads to a path fail with PlatformFeatureError before any request', async () => {
    const redivis = createBrowserClient({ baseUrl: emu.url, apiToken: 'rdv_demo_admin_token' });
    expect(redivis.platform.fs).toBeUndefined();
    const error = await redivis
      .table('demo.iris_species:v1_0.iris')
      .download()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformFeatureError);
    expect((error as PlatformFeatureError).feature).toBe('fs');
  });

  it('bundles for the browser without Node built-ins and lists rows in headless Chromium', async () => {
    const result = await build({
      entryPoints: [new URL('../src/browser.ts', import.meta.url).pathname],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['@redivis-ts/source', 'browser'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/from ["']node:/);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${emu.origin}/api/v1/users/me`).catch(() => undefined);
      // A string, not a function: vitest rewrites dynamic imports inside functions it transforms.
      const rows = await page.evaluate(`(async () => {
        const blob = new Blob([${JSON.stringify(code)}], { type: 'text/javascript' });
        const mod = await import(URL.createObjectURL(blob));
        const redivis = mod.createClient({ baseUrl: ${JSON.stringify(emu.url)}, apiToken: 'rdv_demo_admin_token' });
        const me = await redivis.currentUser();
        const list = await redivis.table('demo.iris_species:v1_0.iris').listRows({ maxResults: 3 });
        return { me: me.name, n: list.length, species: list[0].species };
      })()`);
      expect(rows).toEqual({ me: 'demo_admin', n: 3, species: expect.any(String) });
    } finally {
      await browser.close();
    }
  }, 120_000); // esbuild over every package plus a Chromium start: slow on a loaded machine
});
