import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';
import { Db } from '../src/store/db.js';
import { ADMIN, ALICE, BOB, call, json } from './contract-helpers.js';

// Metadata reads are kept between requests (src/store/read-cache.ts). Each case reads twice first, so the second
// read is served from the cache, then changes the data through a route or the emulator's own database handle, and
// checks that the next read sees the change.

describe('read cache of the database', () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-cache-'));
    db = await Db.open(join(dir, 'x.duckdb'));
    await db.run('CREATE TABLE users (id VARCHAR, name VARCHAR)');
    await db.run("INSERT INTO users VALUES ('u1', 'before')");
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const name = async () =>
    (await db.cached.one<{ name: string }>('SELECT name FROM users WHERE id = ?', ['u1']))?.name;

  it('serves a write committed by run, a transaction, or a write racing the read', async () => {
    expect(await name()).toBe('before');
    expect(await name()).toBe('before');
    await db.run("UPDATE users SET name = 'run' WHERE id = 'u1'");
    expect(await name()).toBe('run');
    await db.transaction((tx) => tx.run("UPDATE users SET name = 'tx' WHERE id = 'u1'"));
    expect(await name()).toBe('tx');
    // A read issued before a write and finishing after it must not be kept, whichever saw what.
    for (let i = 0; i < 20; i++) {
      const [, seen] = await Promise.all([
        db.run('UPDATE users SET name = ? WHERE id = ?', [`race${i}`, 'u1']),
        name(),
      ]);
      expect([`race${i - 1}`, `race${i}`, 'tx']).toContain(seen);
      expect(await name()).toBe(`race${i}`);
    }
  });

  it('keeps nothing a rolled-back transaction read, and hands out copies', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run("UPDATE users SET name = 'rolled back' WHERE id = 'u1'");
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const first = await db.cached.all<{ name: string }>('SELECT name FROM users WHERE id = ?', ['u1']);
    expect(first[0]?.name).not.toBe('rolled back');
    (first[0] as { name: string }).name = 'mutated by a caller';
    expect(await name()).not.toBe('mutated by a caller');
  });

  it('does not keep statements that name no table of the emulator', async () => {
    await db.run('CREATE TABLE other (v INTEGER)');
    await db.run('INSERT INTO other VALUES (1)');
    const read = () => db.cached.one<{ n: number }>('SELECT count(*) AS n FROM other WHERE v > ?', [0]);
    expect((await read())?.n).toBe(1);
    await db.run('INSERT INTO other VALUES (2)');
    expect((await read())?.n).toBe(2);
  });
});

describe('read cache while a write settles', () => {
  // DuckDB makes a write visible to the reader connections when it commits, before the write's promise settles in
  // JS, so a read can see the write and reach its caller first (a client saw its upload `completed`, then the
  // table's variables from before the upload). The `settling` seam holds that window open.
  let dir: string;
  let db: Db;
  let probe: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-cache-settle-'));
    db = await Db.open(join(dir, 'x.duckdb'), { settling: async () => probe?.() });
    await db.run('CREATE TABLE users (id VARCHAR, name VARCHAR)');
    await db.run("INSERT INTO users VALUES ('u1', 'before')");
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sql = 'SELECT name FROM users WHERE id = ?';
  const cachedName = async () => (await db.cached.one<{ name: string }>(sql, ['u1']))?.name;
  const directName = async () => (await db.one<{ name: string }>(sql, ['u1']))?.name;

  it('serves no result read before a transaction or a write once other connections see it', async () => {
    const seen: Array<string | undefined> = [];
    probe = async () => {
      seen.push(await directName(), await cachedName());
    };
    for (const [value, write] of [
      ['tx', () => db.transaction((tx) => tx.run("UPDATE users SET name = 'tx' WHERE id = 'u1'"))],
      ['run', () => db.run("UPDATE users SET name = 'run' WHERE id = 'u1'")],
    ] as const) {
      const was = await cachedName();
      expect(await cachedName()).toBe(was);
      seen.length = 0;
      await write();
      expect(seen).toEqual([value, value]);
      expect(await cachedName()).toBe(value);
      expect(await cachedName()).toBe(value);
    }
    probe = undefined;
  });
});

describe('read cache through the routes', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seedRows: 100 });
  });
  afterAll(async () => {
    await emu.stop();
  });
  const userId = async (name: string) =>
    (await emu.ctx.db.one<{ id: string }>('SELECT id FROM users WHERE name = ?', [name]))?.id as string;
  const twice = async (path: string, token?: string) => {
    await call(emu, path, { token: token ?? ADMIN });
    return json<Record<string, unknown>>(emu, path, { token: token ?? ADMIN });
  };

  it('shows a dataset edit and a table edit on the next read', async () => {
    const path = '/datasets/demo.iris_species';
    expect((await twice(path)).body.description).not.toBe('Edited once');
    expect((await call(emu, path, { method: 'PATCH', json: { description: 'Edited once' } })).status).toBe(
      200,
    );
    expect((await json(emu, path)).body.description).toBe('Edited once');
    const list = await json<{ results: Array<{ name: string; description: string }> }>(
      emu,
      '/organizations/demo/datasets',
    );
    expect(list.body.results.find((d) => d.name === 'Iris species')?.description).toBe('Edited once');

    const table = '/tables/demo.versioned_dataset:next.notes';
    expect((await twice(table)).status).toBe(200);
    expect((await call(emu, table, { method: 'PATCH', json: { description: 'Edited notes' } })).status).toBe(
      200,
    );
    expect((await json(emu, table)).body.description).toBe('Edited notes');
  });

  it('forgets a deleted dataset', async () => {
    const created = await json(emu, '/organizations/demo/datasets', {
      method: 'POST',
      json: { name: 'cache_victim' },
    });
    expect(created.status).toBeLessThan(300);
    const path = '/datasets/demo.cache_victim';
    expect((await twice(path)).status).toBe(200);
    expect((await call(emu, path, { method: 'DELETE' })).status).toBeLessThan(300);
    expect((await call(emu, path)).status).toBe(404);
  });

  it('follows grants, token revocation and organization membership', async () => {
    const path = '/datasets/demo.restricted_survey';
    const alice = await userId('alice');
    const datasetId = (await twice(path)).body.id as string;
    expect((await twice(path, ALICE)).status).toBe(200);
    await emu.ctx.db.run('DELETE FROM dataset_access WHERE dataset_id = ? AND user_id = ?', [
      datasetId,
      alice,
    ]);
    expect((await call(emu, path, { token: ALICE })).status).toBe(404);
    await emu.ctx.db.run("INSERT INTO dataset_access VALUES (?, ?, 'data')", [datasetId, alice]);
    expect((await call(emu, path, { token: ALICE })).status).toBe(200);

    expect((await twice('/users/me', BOB)).status).toBe(200);
    await emu.ctx.db.run("UPDATE api_tokens SET revoked_at = 1 WHERE name = 'bob token'");
    expect((await call(emu, '/users/me', { token: BOB })).status).toBe(401);

    const admin = await userId('demo_admin');
    const next = '/tables/demo.versioned_dataset:next.notes';
    expect((await twice(next)).status).toBe(200);
    await emu.ctx.db.run("UPDATE members SET status = 'left' WHERE user_id = ?", [admin]);
    expect([403, 404]).toContain((await call(emu, next)).status);
    await emu.ctx.db.run("UPDATE members SET status = 'approved' WHERE user_id = ?", [admin]);
    expect((await call(emu, next)).status).toBe(200);
  });

  it('stops serving an unreleased version to readers and to queries', async () => {
    // Released now, so that it may be unreleased (7-day window); then `current` is v1.0 again, which has no notes.
    const released = await call(emu, '/datasets/demo.versioned_dataset/versions/next/release', {
      method: 'POST',
    });
    expect(released.status).toBe(200);
    const table = '/tables/demo.versioned_dataset.notes';
    const sql = 'SELECT count(*) AS n FROM demo.versioned_dataset.notes';
    expect((await twice(table, ALICE)).status).toBe(200);
    const query = () =>
      json<{ status: string; errorMessage: string | null }>(emu, '/queries', {
        method: 'POST',
        token: ALICE,
        json: { query: sql },
      });
    expect((await query()).body.status).toBe('completed');
    const unrelease = await call(emu, '/datasets/demo.versioned_dataset/versions/v2.0/unrelease', {
      method: 'POST',
    });
    expect(unrelease.status).toBe(200);
    expect((await call(emu, table, { token: ALICE })).status).toBe(404);
    const after = await query();
    expect(after.body.status).toBe('failed');
    expect(after.body.errorMessage).toMatch(/Not found/);
  });
});
