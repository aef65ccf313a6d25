import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configDir, fileTokenStore } from '../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-node-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('configDir', () => {
  it('honours REDIVIS_CONFIG_DIR, else a per-user config folder named redivis', () => {
    expect(configDir({ REDIVIS_CONFIG_DIR: '/x/y' })).toBe('/x/y');
    const fallback = configDir({});
    expect(fallback).toMatch(/redivis/);
    expect(fallback).not.toBe('/x/y');
  });
});

describe('fileTokenStore', () => {
  it('writes credentials under REDIVIS_CONFIG_DIR with mode 0600 in a 0700 folder, and reads them back', async () => {
    const configHome = join(dir, 'cfg');
    const store = fileTokenStore({ env: { REDIVIS_CONFIG_DIR: configHome } });
    expect(await store.get()).toBeUndefined();
    await store.set({ accessToken: 'a1', refreshToken: 'r1', expiresAt: 123, scope: ['data.edit'] });
    const path = join(configHome, 'credentials.json');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(configHome)).mode & 0o777).toBe(0o700);
    expect(await store.get()).toEqual({
      accessToken: 'a1',
      refreshToken: 'r1',
      expiresAt: 123,
      scope: ['data.edit'],
    });
    // Atomic replacement leaves no temporary file behind.
    await store.set({ accessToken: 'a2' });
    expect(await readdir(configHome)).toEqual(['credentials.json']);
    expect(await store.get()).toEqual({ accessToken: 'a2' });
    await store.clear();
    expect(await store.get()).toBeUndefined();
    await store.clear();
  });

  it('keeps the mode at 0600 even when the file existed with wider permissions', async () => {
    const path = join(dir, 'creds.json');
    await writeFile(path, '{}', { mode: 0o644 });
    await fileTokenStore({ path }).set({ accessToken: 'secret' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8')).accessToken).toBe('secret');
  });

  it('reads a malformed or foreign file as no credentials', async () => {
    const path = join(dir, 'creds.json');
    const store = fileTokenStore({ path });
    for (const text of ['not json', '[]', '{"accessToken": 5}', '{"accessToken": ""}']) {
      await writeFile(path, text);
      expect(await store.get()).toBeUndefined();
    }
    await writeFile(path, '{"accessToken":"t","expiresAt":"soon","scope":[1]}');
    expect(await store.get()).toEqual({ accessToken: 't' });
  });
});
