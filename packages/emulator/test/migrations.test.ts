import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Db } from '../src/store/db.js';
import { CORE_SCHEMA } from '../src/store/migrations/core.js';
import { MIGRATIONS, migrate } from '../src/store/migrations/index.js';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-emulator-migrate-'));
  db = await Db.open(join(dir, 'redivis.duckdb'));
});
afterEach(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});

const tables = async () =>
  (
    await db.all<{ name: string }>(
      "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables ORDER BY 1",
    )
  ).map((r) => r.name);

it('numbers the migrations 1..n in order', () => {
  expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
});

it('creates every table of every module on a fresh database, once', async () => {
  expect(await migrate(db)).toEqual({ fresh: true });
  const created = await tables();
  for (const t of [
    'users',
    'tables',
    'oauth_apps',
    'web_sessions',
    'wf_jobs',
    'secrets',
    'queries',
    'uploads',
  ]) {
    expect(created).toContain(`main.${t}`);
  }
  const applied = await db.all<{ version: number }>('SELECT version FROM meta_migrations ORDER BY version');
  expect(applied.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  expect(await migrate(db)).toEqual({ fresh: false });
  expect(await tables()).toEqual(created);
  expect((await db.one<{ n: number }>('SELECT count(*) AS n FROM meta_migrations'))?.n).toBe(
    MIGRATIONS.length,
  );
});

it('upgrades a data dir from before the migration list, whose modules created their tables at startup', async () => {
  await db.run('CREATE TABLE meta_migrations (version INTEGER NOT NULL, applied_at BIGINT NOT NULL)');
  await db.run(CORE_SCHEMA);
  await db.run('INSERT INTO meta_migrations VALUES (1, 0)');
  await db.run(`CREATE TABLE secrets (owner_kind VARCHAR NOT NULL, owner_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
    value VARCHAR NOT NULL, created_at BIGINT NOT NULL)`);
  await db.run("INSERT INTO secrets VALUES ('user', 'u1', 'kept', 'v', 1)");
  expect(await migrate(db)).toEqual({ fresh: false });
  expect(await db.all('SELECT name FROM secrets')).toEqual([{ name: 'kept' }]);
  expect(await tables()).toContain('main.queries');
});

it('refuses a database written by a newer emulator instead of guessing its schema', async () => {
  await migrate(db);
  await db.run('INSERT INTO meta_migrations VALUES (?, 0)', [MIGRATIONS.length + 1]);
  await expect(migrate(db)).rejects.toThrow(/newer than this emulator/);
});
