import { z } from 'zod';
import { countSchema, jobStatusSchema, timestampSchema } from './common.js';

/**
 * `version.base`, embedded as a dataset's `version` / `currentVersion` / `nextVersion` and a version's
 * `previousVersion` / `nextVersion`. Only `tag` is required (the clients read it); a dataset's `nextVersion` also
 * needs `datasetUri` (see {@link datasetSchema}).
 */
export const versionBaseSchema = z.looseObject({
  kind: z.literal('version').optional(),
  /** `vX.Y`, or `next` for the unreleased version. */
  tag: z.string().min(1),
  index: countSchema.optional(),
  label: z.string().nullable().optional(),
  url: z.string().optional(),
  uri: z.string().optional(),
  /** The dataset pinned to this version, e.g. `/datasets/imathews.ian_s_dataset:123:v1_0`. */
  datasetUri: z.string().min(1).optional(),
  isReleased: z.boolean().optional(),
  isDeleted: z.boolean().optional(),
});
/** A version as embedded in other resources; see {@link versionBaseSchema}. */
export type VersionBaseProperties = z.infer<typeof versionBaseSchema>;

/** The fields of a version's list representation (timestamps in ms). */
const versionListFields = {
  uri: z.string().min(1),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  /** `null` while unreleased. */
  releasedAt: timestampSchema.nullable().optional(),
  releaseNotes: z.string().nullable().optional(),
  canRelease: z.boolean().optional(),
  /** `null` before a release is requested. */
  status: jobStatusSchema.nullable().optional(),
  releaseErrorMessage: z.string().nullable().optional(),
};

/**
 * A version as listed by `GET /datasets/:ref/versions`: {@link versionBaseSchema} plus `uri` and `datasetUri`
 * (required; release and unrelease callers read `datasetUri`) and the list and get fields, all optional.
 */
export const versionListItemSchema = versionBaseSchema.extend({
  datasetUri: z.string().min(1),
  ...versionListFields,
  previousVersion: versionBaseSchema.nullable().optional(),
  nextVersion: versionBaseSchema.nullable().optional(),
});
/** A listed version; see {@link versionListItemSchema}. */
export type VersionListItemProperties = z.infer<typeof versionListItemSchema>;

/**
 * A version's get representation (get, post, release, unrelease, delete, undelete). `previousVersion` and
 * `nextVersion` must be present (`null` when there is none) so clients need not fetch again.
 */
export const versionSchema = versionBaseSchema.extend({
  datasetUri: z.string().min(1),
  ...versionListFields,
  previousVersion: versionBaseSchema.nullable(),
  nextVersion: versionBaseSchema.nullable(),
});
/** A version; see {@link versionSchema}. */
export type VersionProperties = z.infer<typeof versionSchema>;
