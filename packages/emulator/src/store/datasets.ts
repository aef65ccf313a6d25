import { type AccessLevel, isAccessLevel, maxLevel } from '../auth/levels.js';
import type { Queryable } from './db.js';
import type { DatasetRow, VersionRow } from './rows.js';

/** Input of {@link insertDataset}. */
export interface NewDataset {
  id: string;
  referenceId: string;
  ownerKind: 'user' | 'organization';
  ownerId: string;
  name: string;
  description?: string;
  publicAccessLevel: AccessLevel;
  labels?: string[];
  methodologyMarkdown?: string;
  usageMarkdown?: string;
  contactInfo?: string;
  links?: Array<{ title: string; url: string }>;
  exportRestrictions?: Record<string, unknown> | null;
  sampleConfiguration?: { variableName: string | null; targetRatio: number } | null;
  at: number;
}

/** Inserts a dataset row. */
export async function insertDataset(tx: Queryable, d: NewDataset): Promise<void> {
  await tx.run(`INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`, [
    d.id,
    d.referenceId,
    d.ownerKind,
    d.ownerId,
    d.name,
    d.description ?? '',
    d.publicAccessLevel,
    JSON.stringify(d.labels ?? []),
    d.methodologyMarkdown ?? '',
    d.usageMarkdown ?? '',
    d.contactInfo ?? '',
    JSON.stringify(d.links ?? []),
    d.exportRestrictions ? JSON.stringify(d.exportRestrictions) : null,
    d.sampleConfiguration ? JSON.stringify(d.sampleConfiguration) : null,
    d.at,
    d.at,
  ]);
}

/** Input of {@link insertVersion}. */
export interface NewVersion {
  id: string;
  datasetId: string;
  idx: number;
  /** `[major, minor]` for a released version; omitted for the unreleased `next`. */
  number?: [number, number];
  releaseNotes?: string | null;
  label?: string | null;
  releasedAt?: number;
  at: number;
}

/** Inserts a version row (released when `number` is given). */
export async function insertVersion(tx: Queryable, v: NewVersion): Promise<void> {
  await tx.run(
    `INSERT INTO versions (id, dataset_id, idx, major, minor, label, release_notes, is_released, is_deleted, status,
       created_at, updated_at, released_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, false, ?, ?, ?, ?)`,
    [
      v.id,
      v.datasetId,
      v.idx,
      v.number?.[0] ?? null,
      v.number?.[1] ?? null,
      v.label ?? null,
      v.releaseNotes ?? null,
      v.number !== undefined,
      v.number !== undefined ? 'completed' : null,
      v.at,
      v.releasedAt ?? v.at,
      v.number !== undefined ? (v.releasedAt ?? v.at) : null,
    ],
  );
}

/** The tag of a version as written in version paths: `v1.0`, or `next` while unreleased. */
export function versionTag(v: VersionRow): string {
  return v.is_released ? `v${v.major}.${v.minor}` : 'next';
}

/** The tag as written inside references: `v1_0` or `next`. */
export function versionRefTag(v: VersionRow): string {
  return v.is_released ? `v${v.major}_${v.minor}` : 'next';
}

/** Every version of a dataset, oldest first. */
export function listVersions(db: Queryable, datasetId: string): Promise<VersionRow[]> {
  return db.all<VersionRow>('SELECT * FROM versions WHERE dataset_id = ? ORDER BY idx', [datasetId]);
}

/** The current version: the latest released version that is not deleted. */
export function currentVersion(db: Queryable, datasetId: string): Promise<VersionRow | undefined> {
  return db.one<VersionRow>(
    'SELECT * FROM versions WHERE dataset_id = ? AND is_released AND NOT is_deleted ORDER BY idx DESC LIMIT 1',
    [datasetId],
  );
}

/** The unreleased `next` version, if any. */
export function nextVersion(db: Queryable, datasetId: string): Promise<VersionRow | undefined> {
  return db.one<VersionRow>('SELECT * FROM versions WHERE dataset_id = ? AND NOT is_released LIMIT 1', [
    datasetId,
  ]);
}

/** The released version `major.minor` (deleted ones included). */
export function versionByNumber(
  db: Queryable,
  datasetId: string,
  major: number,
  minor: number,
): Promise<VersionRow | undefined> {
  return db.one<VersionRow>(
    'SELECT * FROM versions WHERE dataset_id = ? AND is_released AND major = ? AND minor = ?',
    [datasetId, major, minor],
  );
}

/**
 * The caller's own level on a dataset, ignoring token scopes: `edit` for the owning user and for administrators of
 * the owning organization; otherwise the explicit grant (`dataset_access`), or `none`.
 */
export async function datasetUserLevel(
  db: Queryable,
  dataset: DatasetRow,
  userId: string | undefined,
): Promise<AccessLevel> {
  if (!userId) return 'none';
  if (dataset.owner_kind === 'user' && dataset.owner_id === userId) return 'edit';
  // One statement for the admin check and the grant: every read route resolves a level, and under load each
  // statement waits its turn on a connection.
  const row = await db.one<{ admin: boolean | null; level: string | null }>(
    `SELECT (SELECT bool_or(is_admin AND status = 'approved') FROM members
               WHERE ? AND org_id = ? AND user_id = ?) AS admin,
            (SELECT any_value(level) FROM dataset_access WHERE dataset_id = ? AND user_id = ?) AS level`,
    [dataset.owner_kind === 'organization', dataset.owner_id, userId, dataset.id, userId],
  );
  if (row?.admin === true) return 'edit';
  const level = row?.level;
  return level && isAccessLevel(level) ? level : 'none';
}

/** The dataset's public level as an {@link AccessLevel}. */
export function datasetPublicLevel(dataset: DatasetRow): AccessLevel {
  return isAccessLevel(dataset.public_access_level) ? dataset.public_access_level : 'none';
}

/** max(public, user): the `accessLevel` reported on resources. */
export async function datasetAccessLevel(
  db: Queryable,
  dataset: DatasetRow,
  userId: string | undefined,
): Promise<AccessLevel> {
  return maxLevel(datasetPublicLevel(dataset), await datasetUserLevel(db, dataset, userId));
}
