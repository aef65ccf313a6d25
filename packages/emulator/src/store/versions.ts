import { randomId } from './ids.js';
import { currentVersion, listVersions, nextVersion } from './datasets.js';
import type { Queryable } from './db.js';
import { InvalidOperationError } from './errors.js';
import type { VersionRow } from './rows.js';
import { copyVersionTables, deleteTables } from './tables.js';

/** How long after release a version may still be unreleased (spec §2.6). */
export const UNRELEASE_WINDOW_MS = 7 * 86_400_000;

interface TableSig {
  reference_id: string;
  name: string;
  storage: string;
  description: string;
  vars: string;
}

async function signatures(db: Queryable, versionId: string): Promise<Map<string, TableSig>> {
  const rows = await db.all<TableSig>(
    `SELECT t.reference_id, t.name, t.storage, t.description,
       coalesce(string_agg(v.name || ':' || v.type || ':' || coalesce(v.label, '') || ':' || coalesce(v.description, '')
         || ':' || v.value_labels, '|' ORDER BY v.idx), '') AS vars
     FROM tables t LEFT JOIN variables v ON v.table_id = t.id
     WHERE t.version_id = ? AND NOT t.is_sample GROUP BY ALL`,
    [versionId],
  );
  return new Map(rows.map((r) => [r.reference_id, r]));
}

/**
 * What changed from `fromId` (null: nothing released yet) to `toId`: `changed` when anything differs, `major` when a
 * table was deleted or a variable renamed, deleted or retyped (Redivis' semantic-versioning rule).
 */
export async function versionChanges(
  db: Queryable,
  fromId: string | null,
  toId: string,
): Promise<{ changed: boolean; major: boolean }> {
  const to = await signatures(db, toId);
  if (fromId === null) return { changed: to.size > 0, major: false };
  const from = await signatures(db, fromId);
  let changed = from.size !== to.size;
  let major = false;
  for (const [ref, a] of from) {
    const b = to.get(ref);
    if (!b) {
      changed = true;
      major = true;
      continue;
    }
    if (
      a.name !== b.name ||
      a.storage !== b.storage ||
      a.description !== b.description ||
      a.vars !== b.vars
    ) {
      changed = true;
    }
    const typesOf = (s: string) =>
      new Map(
        s
          .split('|')
          .filter(Boolean)
          .map((x) => x.split(':').slice(0, 2) as [string, string]),
      );
    const ta = typesOf(a.vars);
    const tb = typesOf(b.vars);
    for (const [name, type] of ta) if (tb.get(name) !== type) major = true;
  }
  for (const ref of to.keys()) if (!from.has(ref)) changed = true;
  return { changed, major };
}

/** Creates the unreleased next version as a copy of the current one (tables share storage). 400 if one exists. */
export async function createNextVersion(tx: Queryable, datasetId: string, at: number): Promise<VersionRow> {
  if (await nextVersion(tx, datasetId))
    throw new InvalidOperationError('This dataset already has an unreleased next version');
  const all = await listVersions(tx, datasetId);
  const current = await currentVersion(tx, datasetId);
  const id = `${datasetId}-${randomId(6)}`;
  const idx = all.length ? Math.max(...all.map((v) => v.idx)) + 1 : 0;
  await tx.run(
    `INSERT INTO versions (id, dataset_id, idx, is_released, is_deleted, created_at, updated_at)
     VALUES (?, ?, ?, false, false, ?, ?)`,
    [id, datasetId, idx, at, at],
  );
  if (current) await copyVersionTables(tx, current.id, id);
  return (await tx.one<VersionRow>('SELECT * FROM versions WHERE id = ?', [id])) as VersionRow;
}

/**
 * Releases the next version: tag v1.0 for the first release, else a major bump for breaking changes and a minor one
 * otherwise. 400 when there is no next version or nothing changed (`canRelease` false).
 */
export async function releaseNextVersion(
  tx: Queryable,
  datasetId: string,
  releaseNotes: string | null | undefined,
  at: number,
): Promise<VersionRow> {
  const next = await nextVersion(tx, datasetId);
  if (!next) throw new InvalidOperationError('This dataset has no unreleased next version to release');
  const current = await currentVersion(tx, datasetId);
  const change = await versionChanges(tx, current?.id ?? null, next.id);
  if (!change.changed)
    throw new InvalidOperationError('The next version cannot be released: it has no changes');
  const latest = await tx.one<{ major: number; minor: number }>(
    'SELECT major, minor FROM versions WHERE dataset_id = ? AND is_released ORDER BY major DESC, minor DESC LIMIT 1',
    [datasetId],
  );
  const [major, minor] = !latest
    ? [1, 0]
    : change.major
      ? [latest.major + 1, 0]
      : [latest.major, latest.minor + 1];
  await tx.run(
    `UPDATE versions SET is_released = true, major = ?, minor = ?, status = 'completed', released_at = ?,
       updated_at = ?, release_notes = coalesce(?, release_notes) WHERE id = ?`,
    [major, minor, at, at, releaseNotes ?? null, next.id],
  );
  return (await tx.one<VersionRow>('SELECT * FROM versions WHERE id = ?', [next.id])) as VersionRow;
}

/** Turns the current version back into the next version; only within 7 days of its release and without a next. */
export async function unreleaseCurrentVersion(
  tx: Queryable,
  datasetId: string,
  at: number,
): Promise<VersionRow> {
  const current = await currentVersion(tx, datasetId);
  if (!current) throw new InvalidOperationError('This dataset has no released version to unrelease');
  if (await nextVersion(tx, datasetId)) {
    throw new InvalidOperationError(
      'The current version cannot be unreleased while a next version exists; delete it first',
    );
  }
  if (at - (current.released_at ?? 0) > UNRELEASE_WINDOW_MS) {
    throw new InvalidOperationError('A version can only be unreleased within 7 days of its release');
  }
  await tx.run(
    `UPDATE versions SET is_released = false, major = NULL, minor = NULL, status = NULL, released_at = NULL,
       updated_at = ? WHERE id = ?`,
    [at, current.id],
  );
  return (await tx.one<VersionRow>('SELECT * FROM versions WHERE id = ?', [current.id])) as VersionRow;
}

/**
 * Deletes a version: `next` disappears with its tables (returns null); a historic version is flagged deleted.
 * The current version cannot be deleted (400).
 */
export async function deleteVersion(
  tx: Queryable,
  version: VersionRow,
  at: number,
): Promise<VersionRow | null> {
  if (!version.is_released) {
    const tables = await tx.all<{ id: string }>('SELECT id FROM tables WHERE version_id = ?', [version.id]);
    await deleteTables(
      tx,
      tables.map((t) => t.id),
    );
    await tx.run('DELETE FROM versions WHERE id = ?', [version.id]);
    return null;
  }
  const current = await currentVersion(tx, version.dataset_id);
  if (current?.id === version.id) throw new InvalidOperationError('The current version cannot be deleted');
  await tx.run('UPDATE versions SET is_deleted = true, updated_at = ? WHERE id = ?', [at, version.id]);
  return (await tx.one<VersionRow>('SELECT * FROM versions WHERE id = ?', [version.id])) as VersionRow;
}

/** Restores a deleted version. 400 if it is not deleted. */
export async function undeleteVersion(tx: Queryable, version: VersionRow, at: number): Promise<VersionRow> {
  if (!version.is_deleted) throw new InvalidOperationError('This version is not deleted');
  await tx.run('UPDATE versions SET is_deleted = false, updated_at = ? WHERE id = ?', [at, version.id]);
  return (await tx.one<VersionRow>('SELECT * FROM versions WHERE id = ?', [version.id])) as VersionRow;
}
