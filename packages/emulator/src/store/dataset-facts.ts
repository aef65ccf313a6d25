import { ACCESS_LEVELS, type AccessLevel } from '../auth/levels.js';
import type { Queryable } from './db.js';
import type { DatasetRow, VersionRow } from './rows.js';

/**
 * Per-dataset facts a dataset representation needs, read for a whole page of datasets in a fixed number of
 * statements (a list used to cost about six statements per dataset, all on the one metadata connection).
 */
export interface DatasetFacts {
  /** Every version, oldest first. */
  versions: VersionRow[];
  /** The current version (latest released, not deleted). */
  current: VersionRow | undefined;
  /** The unreleased next version. */
  next: VersionRow | undefined;
}

/** Table count and bytes of the viewed version, and the dataset's total bytes (shared storage counted once). */
export interface DatasetSizes {
  n: number;
  bytes: number;
  total: number;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The versions of several datasets in one statement: current, next and all, by dataset id. */
export async function datasetFacts(
  db: Queryable,
  datasetIds: readonly string[],
): Promise<Map<string, DatasetFacts>> {
  const out = new Map<string, DatasetFacts>();
  for (const id of datasetIds) out.set(id, { versions: [], current: undefined, next: undefined });
  if (!datasetIds.length) return out;
  const rows = await db.all<VersionRow>(
    `SELECT * FROM versions WHERE dataset_id IN (${placeholders(datasetIds.length)}) ORDER BY dataset_id, idx`,
    datasetIds,
  );
  for (const v of rows) {
    const f = out.get(v.dataset_id) as DatasetFacts;
    f.versions.push(v);
    if (v.is_released && !v.is_deleted) f.current = v; // ordered by idx: the last one wins
    if (!v.is_released) f.next ??= v;
  }
  return out;
}

/**
 * Sizes of several datasets in one statement: for each `{datasetId, versionId, sample}`, the table count and bytes
 * of that version's tables (sample tables when `sample`; none when `versionId` is null) and the dataset's total.
 */
export async function datasetSizes(
  db: Queryable,
  views: ReadonlyArray<{ datasetId: string; versionId: string | null; sample: boolean }>,
): Promise<Map<string, DatasetSizes>> {
  const out = new Map<string, DatasetSizes>();
  if (!views.length) return out;
  const values = views.map(() => '(?, ?, ?)').join(', ');
  const rows = await db.all<{ dataset_id: string } & DatasetSizes>(
    `WITH view(dataset_id, version_id, sample) AS (VALUES ${values}),
       viewed AS (SELECT view.dataset_id, count(t.id) AS n, coalesce(sum(t.num_bytes), 0) AS bytes FROM view
         LEFT JOIN tables t ON t.version_id = view.version_id AND t.is_sample = view.sample GROUP BY view.dataset_id),
       totals AS (SELECT dataset_id, coalesce(sum(num_bytes), 0) AS total FROM (SELECT DISTINCT v.dataset_id,
         t.storage, t.num_bytes FROM tables t JOIN versions v ON v.id = t.version_id
         WHERE v.dataset_id IN (SELECT dataset_id FROM view)) GROUP BY dataset_id)
     SELECT viewed.dataset_id, viewed.n, viewed.bytes, coalesce(totals.total, 0) AS total
     FROM viewed LEFT JOIN totals USING (dataset_id)`,
    views.flatMap((v) => [v.datasetId, v.versionId, v.sample]),
  );
  for (const r of rows)
    out.set(r.dataset_id, { n: Number(r.n), bytes: Number(r.bytes), total: Number(r.total) });
  return out;
}

/** A dataset of a list page with the caller's own level on it (scopes not applied). */
export type ListedDataset = DatasetRow & { user_level: AccessLevel };

/**
 * One page of an owner's datasets that the caller may see, paged in SQL: public at overview or more, or (when the
 * token's scopes reach overview) the user's own level is. `editsAll`: the user owns them or administers their
 * organization. `labels`: keep datasets carrying every label, which only editors see.
 */
export function visibleDatasets(
  db: Queryable,
  q: {
    ownerKind: string;
    ownerId: string;
    userId: string | null;
    editsAll: boolean;
    scopesReachOverview: boolean;
    labels: readonly string[];
    offset: number;
    limit: number;
  },
): Promise<ListedDataset[]> {
  const levels = `[${ACCESS_LEVELS.map((l) => `'${l}'`).join(', ')}]`;
  const rank = (expr: string) => `list_position(${levels}, ${expr})`;
  const userLevel = `CASE WHEN ? THEN 'edit' ELSE coalesce(g.level, 'none') END`;
  const labelChecks = q.labels
    .map(() => `AND list_contains(from_json(d.labels, '["VARCHAR"]'), ?)`)
    .join(' ');
  return db.all<ListedDataset>(
    `SELECT * FROM (SELECT d.*, ${userLevel} AS user_level FROM datasets d
       LEFT JOIN dataset_access g ON g.dataset_id = d.id AND g.user_id = ?
       WHERE d.owner_kind = ? AND d.owner_id = ?)
     WHERE (${rank('public_access_level')} >= ${rank("'overview'")}
        OR (? AND ${rank('user_level')} >= ${rank("'overview'")}))
       ${q.labels.length ? `AND user_level = 'edit' ${labelChecks.replaceAll('d.labels', 'labels')}` : ''}
     ORDER BY lower(name), id LIMIT ? OFFSET ?`,
    [q.editsAll, q.userId, q.ownerKind, q.ownerId, q.scopesReachOverview, ...q.labels, q.limit, q.offset],
  );
}
