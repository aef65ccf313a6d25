import { z } from 'zod';
import {
  accessLevelSchema,
  countSchema,
  geoBBoxSchema,
  idSchema,
  temporalRangeSchema,
  timestampSchema,
} from './common.js';
import { datasetBaseSchema } from './datasets.js';
import { workflowBaseSchema } from './workflows.js';

/** How uploads in later versions combine with the previous version's rows. */
export const uploadMergeStrategySchema = z.enum(['append', 'replace']);
/** `append` or `replace`. */
export type UploadMergeStrategy = z.infer<typeof uploadMergeStrategySchema>;

/**
 * `table.base`, as embedded in an export, a notebook or a transform. `name` and `qualifiedReference` are
 * required (the clients read them).
 */
export const tableBaseSchema = z.looseObject({
  kind: z.literal('table').optional(),
  uri: z.string().optional(),
  id: idSchema.optional(),
  url: z.string().optional(),
  /** e.g. `imathews.ian_s_dataset:123:v1_0.test_table:3`; usable in SQL. */
  qualifiedReference: z.string().min(1),
  scopedReference: z.string().min(1).optional(),
  referenceId: z.union([z.string(), z.int()]).optional(),
  name: z.string().min(1),
  hash: z.string().nullable().optional(),
  isSample: z.boolean().optional(),
  isFileIndex: z.boolean().optional(),
});
/** An embedded table; see {@link tableBaseSchema}. */
export type TableBaseProperties = z.infer<typeof tableBaseSchema>;

/** A table's container: `dataset.base` or `workflow.base`, told apart by the required `kind`. */
export const tableContainerSchema = z.discriminatedUnion('kind', [
  datasetBaseSchema.extend({ kind: z.literal('dataset') }),
  workflowBaseSchema.extend({ kind: z.literal('workflow') }),
]);
/** A table's container; see {@link tableContainerSchema}. */
export type TableContainerProperties = z.infer<typeof tableContainerSchema>;

/** What one row of a table represents. */
export const tableEntitySchema = z.looseObject({ name: z.string().nullable() });

const tableFields = {
  uri: z.string().min(1),
  scopedReference: z.string().min(1),
  // list representation
  createdAt: timestampSchema.optional(),
  updatedAt: timestampSchema.optional(),
  description: z.string().nullable().optional(),
  numRows: countSchema.optional(),
  uploadMergeStrategy: uploadMergeStrategySchema.nullable().optional(),
  variableCount: countSchema.optional(),
  // get representation
  canDownload: z.boolean().optional(),
  entity: tableEntitySchema.nullable().optional(),
  temporalRange: temporalRangeSchema.nullable().optional(),
  temporalPrecision: z.string().nullable().optional(),
  geoBBox: geoBBoxSchema.nullable().optional(),
  publicAccessLevel: accessLevelSchema.optional(),
  accessLevel: accessLevelSchema.optional(),
  scopedAccessLevel: accessLevelSchema.optional(),
};

/**
 * A table as listed by `GET /datasets/:ref/tables` and `GET /workflows/:ref/tables`. Required: `uri`, `name`,
 * `qualifiedReference`, `scopedReference`.
 */
export const tableListItemSchema = tableBaseSchema.extend({
  ...tableFields,
  numBytes: countSchema.optional(),
  container: tableContainerSchema.optional(),
});
/** A listed table; see {@link tableListItemSchema}. */
export type TableListItemProperties = z.infer<typeof tableListItemSchema>;

/**
 * A table's get representation (get, post, patch, notebook output). As {@link tableListItemSchema}, plus the
 * required `container` (clients branch on `container.kind`) and `numBytes` (clients choose between read sessions
 * and exports by it).
 */
export const tableSchema = tableBaseSchema.extend({
  ...tableFields,
  numBytes: countSchema,
  container: tableContainerSchema,
});
/** A table; see {@link tableSchema}. */
export type TableProperties = z.infer<typeof tableSchema>;
/** A table entity; see {@link tableEntitySchema}. */
export type TableEntity = z.infer<typeof tableEntitySchema>;
