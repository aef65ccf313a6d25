import { z } from 'zod';
import {
  accessLevelSchema,
  countSchema,
  geoBBoxSchema,
  temporalRangeSchema,
  timestampSchema,
} from './common.js';
import { ownerSchema } from './owners.js';
import { versionBaseSchema } from './versions.js';

/** A link in a dataset's documentation. */
export const datasetLinkSchema = z.looseObject({ title: z.string(), url: z.string() });
/** A supporting file listed on a dataset. */
export const supportingFileSchema = z.looseObject({
  name: z.string(),
  url: z.string(),
  accessLevel: accessLevelSchema.optional(),
  mimeType: z.string().nullable().optional(),
  size: countSchema.nullable().optional(),
});
/** A custom documentation section of a dataset. */
export const documentationSectionSchema = z.looseObject({
  title: z.string().nullable().optional(),
  accessLevel: accessLevelSchema.optional(),
  markdownContent: z.string().nullable().optional(),
});
/** How a dataset's sample is drawn: by a variable (or `null` for random rows) at a target ratio. */
export const sampleConfigurationSchema = z.looseObject({
  variableName: z.string().nullable(),
  targetRatio: z.number(),
});

/**
 * `dataset.base`, as embedded in an Access, a table's `container` or a data source. `name` and
 * `qualifiedReference` are required.
 */
export const datasetBaseSchema = z.looseObject({
  kind: z.literal('dataset').optional(),
  id: z.string().optional(),
  /** e.g. `demo.ghcn_daily_weather_data:v1_1:7br5`. */
  qualifiedReference: z.string().min(1),
  /** e.g. `ghcn_daily_weather_data:v1_1:7br5`. */
  scopedReference: z.string().min(1).optional(),
  /** 4-character persistent id (legacy: an integer). */
  referenceId: z.union([z.string(), z.int()]).optional(),
  name: z.string().min(1),
  url: z.string().optional(),
  uri: z.string().optional(),
  doi: z.string().nullable().optional(),
  owner: ownerSchema.optional(),
});
/** An embedded dataset; see {@link datasetBaseSchema}. */
export type DatasetBaseProperties = z.infer<typeof datasetBaseSchema>;

const datasetFields = {
  scopedReference: z.string().min(1),
  uri: z.string().min(1),
  owner: ownerSchema,
  // list representation
  description: z.string().nullable().optional(),
  /** Only present for administrators. */
  labels: z.array(z.string()).optional(),
  accessLevel: accessLevelSchema.optional(),
  publicAccessLevel: accessLevelSchema.optional(),
  scopedAccessLevel: accessLevelSchema.optional(),
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  tableCount: countSchema.optional(),
  numBytes: countSchema.optional(),
  totalNumBytes: countSchema.optional(),
  totalActiveTabularBytes: countSchema.optional(),
  totalInactiveTabularBytes: countSchema.optional(),
  totalRawFileBytes: countSchema.optional(),
  temporalRange: temporalRangeSchema.nullable().optional(),
  temporalPrecision: z.string().nullable().optional(),
  geoBBox: geoBBoxSchema.nullable().optional(),
  sampleConfiguration: sampleConfigurationSchema.nullable().optional(),
  // get representation
  methodologyMarkdown: z.string().nullable().optional(),
  usageMarkdown: z.string().nullable().optional(),
  contactInfo: z.string().nullable().optional(),
  links: z.array(datasetLinkSchema).optional(),
  supportingFiles: z.array(supportingFileSchema).optional(),
  customDocumentationSections: z.array(documentationSectionSchema).optional(),
  version: versionBaseSchema.nullable().optional(),
  currentVersion: versionBaseSchema.nullable().optional(),
};

/** The unreleased version as embedded in a dataset: the clients follow its `datasetUri`. */
const nextVersionSchema = versionBaseSchema.extend({ datasetUri: z.string().min(1) });

/**
 * A dataset as listed by `GET /users/:u/datasets` and `GET /organizations/:o/datasets`. Required: `name`,
 * `qualifiedReference`, `scopedReference`, `uri`, `owner` (with `kind`).
 */
export const datasetListItemSchema = datasetBaseSchema.extend({
  ...datasetFields,
  nextVersion: nextVersionSchema.nullable().optional(),
});
/** A listed dataset; see {@link datasetListItemSchema}. */
export type DatasetListItemProperties = z.infer<typeof datasetListItemSchema>;

/**
 * A dataset's get representation (get, post, patch). As {@link datasetListItemSchema}, and `nextVersion` must be
 * present: `null`, or the unreleased version with its `datasetUri` (the Python client reads it).
 */
export const datasetSchema = datasetBaseSchema.extend({
  ...datasetFields,
  nextVersion: nextVersionSchema.nullable(),
});
/** A dataset; see {@link datasetSchema}. */
export type DatasetProperties = z.infer<typeof datasetSchema>;

/** A documentation link; see {@link datasetLinkSchema}. */
export type DatasetLink = z.infer<typeof datasetLinkSchema>;
/** A supporting file; see {@link supportingFileSchema}. */
export type SupportingFile = z.infer<typeof supportingFileSchema>;
/** A documentation section; see {@link documentationSectionSchema}. */
export type DocumentationSection = z.infer<typeof documentationSectionSchema>;
/** A sample configuration; see {@link sampleConfigurationSchema}. */
export type SampleConfiguration = z.infer<typeof sampleConfigurationSchema>;
