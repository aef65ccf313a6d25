import type {
  DatasetBaseProperties,
  DatasetLink,
  DatasetProperties,
  SampleConfiguration,
} from '@redivis-ts/core';
import type { Context } from 'hono';
import { type AccessLevel, atLeast, maxLevel } from '../auth/levels.js';
import { scopedLevel } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import type { ResolvedDataset } from '../http/resolve.js';
import { type DatasetFacts, type DatasetSizes, datasetFacts, datasetSizes } from '../store/dataset-facts.js';
import { versionRefTag } from '../store/datasets.js';
import type { Owner } from '../store/owners.js';
import type { DatasetRow, VersionRow } from '../store/rows.js';
import { ownerRepr } from './owners.js';
import { datasetRoot, versionBase } from './versions.js';

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** `qualifiedReference` / `scopedReference` / `uri` of a dataset as seen through `version` (and `:sample`). */
export function datasetReferences(
  dataset: DatasetRow,
  owner: Owner,
  version: VersionRow | null,
  sample = false,
): { qualifiedReference: string; scopedReference: string; uri: string } {
  const suffix = `${version ? `:${versionRefTag(version)}` : ''}:${dataset.reference_id}${sample ? ':sample' : ''}`;
  const qualified = `${datasetRoot(dataset, owner)}${suffix}`;
  return {
    qualifiedReference: qualified,
    scopedReference: qualified.slice(owner.name.length + 1),
    uri: `/datasets/${qualified}`,
  };
}

/** `dataset.base` (spec §6.2). */
export function datasetBase(
  ctx: EmulatorContext,
  dataset: DatasetRow,
  owner: Owner,
  version: VersionRow | null,
  sample = false,
) {
  return {
    kind: 'dataset' as const,
    id: dataset.id,
    ...datasetReferences(dataset, owner, version, sample),
    referenceId: dataset.reference_id,
    name: dataset.name,
    url: `${ctx.origin}/datasets/${dataset.id}`,
    doi: dataset.doi,
    owner: ownerRepr(owner),
  } satisfies DatasetBaseProperties;
}

/** Everything {@link datasetRepr} needs about the caller's view of a dataset. */
export type DatasetView = Pick<ResolvedDataset, 'dataset' | 'owner' | 'version' | 'sample' | 'access'>;

/** The version a caller is shown: unreleased versions only to editors. */
export function shownVersion(view: DatasetView): VersionRow | null {
  const editor = atLeast(view.access.userLevel, 'edit');
  return view.version && (view.version.is_released || editor) ? view.version : null;
}

/** The size query's input for a view (see {@link datasetSizes}). */
export function sizeKey(view: DatasetView): { datasetId: string; versionId: string | null; sample: boolean } {
  return { datasetId: view.dataset.id, versionId: shownVersion(view)?.id ?? null, sample: view.sample };
}

/**
 * Dataset list (`mode: 'list'`) or get representation. Unreleased versions and admin labels are shown only to
 * callers with edit access; `version` is null for other callers when the dataset has nothing released. Reads its
 * versions and sizes in two statements; lists pass them in (`known`), read for the whole page at once.
 */
export async function datasetRepr(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  view: DatasetView,
  mode: 'list' | 'get',
  known?: { facts: DatasetFacts; sizes: DatasetSizes | undefined },
): Promise<DatasetProperties> {
  const { dataset, owner, access } = view;
  const editor = atLeast(access.userLevel, 'edit');
  const version = shownVersion(view);
  const [facts, sizes] = known
    ? [known.facts, known.sizes]
    : await Promise.all([
        datasetFacts(ctx.db.cached, [dataset.id]).then((m) => m.get(dataset.id) as DatasetFacts),
        datasetSizes(ctx.db.cached, [sizeKey(view)]).then((m) => m.get(dataset.id)),
      ]);
  const accessLevel: AccessLevel = maxLevel(access.publicLevel, access.userLevel);
  const body: DatasetProperties = {
    ...datasetBase(ctx, dataset, owner, version, view.sample),
    description: dataset.description,
    accessLevel,
    publicAccessLevel: access.publicLevel,
    scopedAccessLevel: scopedLevel(c, access),
    createdAt: dataset.created_at,
    updatedAt: dataset.updated_at,
    tableCount: sizes?.n ?? 0,
    numBytes: sizes?.bytes ?? 0,
    totalNumBytes: sizes?.total ?? 0,
    totalActiveTabularBytes: sizes?.total ?? 0,
    totalInactiveTabularBytes: 0,
    totalRawFileBytes: 0,
    temporalRange: null,
    temporalPrecision: null,
    geoBBox: null,
    sampleConfiguration: parseJson<SampleConfiguration | null>(dataset.sample_configuration, null),
    nextVersion: null,
  };
  if (editor) body.labels = parseJson<string[]>(dataset.labels, []);
  const current = facts.current;
  const next = editor ? facts.next : undefined;
  body.version = version ? versionBase(ctx, dataset, owner, version) : null;
  body.currentVersion = current ? versionBase(ctx, dataset, owner, current) : null;
  body.nextVersion = next ? versionBase(ctx, dataset, owner, next) : null;
  if (mode === 'get') {
    Object.assign(body, {
      methodologyMarkdown: dataset.methodology_markdown,
      usageMarkdown: dataset.usage_markdown,
      contactInfo: dataset.contact_info,
      links: parseJson<DatasetLink[]>(dataset.links, []),
      supportingFiles: [],
      customDocumentationSections: [],
      exportRestrictions: parseJson(dataset.export_restrictions, null),
    });
  }
  return body;
}
