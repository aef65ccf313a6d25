import type { VersionBaseProperties, VersionListItemProperties, VersionProperties } from '@redivis-ts/core';
import { escapeName } from '@redivis-ts/core';
import type { EmulatorContext } from '../context.js';
import { listVersions, versionRefTag, versionTag } from '../store/datasets.js';
import type { Owner } from '../store/owners.js';
import type { DatasetRow, VersionRow } from '../store/rows.js';
import { versionChanges } from '../store/versions.js';

/** `owner.name:referenceId`: the version-less part of a dataset's references. */
export function datasetRoot(dataset: DatasetRow, owner: Owner): string {
  return `${owner.name}.${escapeName(dataset.name)}`;
}

/** `version.base` (spec §6.11). */
export function versionBase(ctx: EmulatorContext, dataset: DatasetRow, owner: Owner, v: VersionRow) {
  const root = datasetRoot(dataset, owner);
  return {
    kind: 'version' as const,
    tag: versionTag(v),
    index: v.idx,
    label: v.label,
    url: `${ctx.origin}/datasets/${dataset.reference_id}/versions/${versionTag(v)}`,
    uri: `/datasets/${root}:${dataset.reference_id}/versions/${versionTag(v)}`,
    datasetUri: `/datasets/${root}:${versionRefTag(v)}:${dataset.reference_id}`,
    isReleased: v.is_released,
    isDeleted: v.is_deleted,
  } satisfies VersionBaseProperties;
}

/** Version list representation: base + timestamps. */
export function versionListRepr(
  ctx: EmulatorContext,
  dataset: DatasetRow,
  owner: Owner,
  v: VersionRow,
): VersionListItemProperties {
  return {
    ...versionBase(ctx, dataset, owner, v),
    createdAt: v.created_at,
    updatedAt: v.updated_at,
    releasedAt: v.released_at,
  };
}

/** Version get representation; `previousVersion` / `nextVersion` are always present (null when none). */
export async function versionRepr(
  ctx: EmulatorContext,
  dataset: DatasetRow,
  owner: Owner,
  v: VersionRow,
): Promise<VersionProperties> {
  const all = await listVersions(ctx.db.cached, dataset.id);
  const i = all.findIndex((x) => x.id === v.id);
  const prev = i > 0 ? all[i - 1] : undefined;
  const next = i >= 0 && i < all.length - 1 ? all[i + 1] : undefined;
  let canRelease = false;
  if (!v.is_released) {
    const previousReleased = [...all].reverse().find((x) => x.is_released && !x.is_deleted && x.idx < v.idx);
    canRelease = (await versionChanges(ctx.db.cached, previousReleased?.id ?? null, v.id)).changed;
  }
  return {
    ...versionListRepr(ctx, dataset, owner, v),
    releaseNotes: v.release_notes,
    canRelease,
    previousVersion: prev ? versionBase(ctx, dataset, owner, prev) : null,
    nextVersion: next ? versionBase(ctx, dataset, owner, next) : null,
    status: v.status,
    releaseErrorMessage: v.release_error_message,
  };
}
