import { z } from 'zod';
import { idSchema } from './common.js';
import { datasetBaseSchema } from './datasets.js';
import { tableBaseSchema } from './tables.js';
import { workflowBaseSchema } from './workflows.js';

/**
 * A notebook or transform run (`currentJob` / `lastRunJob`). `id` and `status` are required. Job statuses are
 * undocumented beyond `queued`, `running`, `completed`, `failed`, `cancelled`, so any string is accepted.
 */
export const workflowJobSchema = z.looseObject({
  kind: z.string().optional(),
  id: idSchema,
  status: z.string().min(1),
  errorMessage: z.string().nullable().optional(),
});
/** A notebook or transform job; see {@link workflowJobSchema}. */
export type WorkflowJob = z.infer<typeof workflowJobSchema>;

const nodeFields = {
  uri: z.string().min(1),
  name: z.string().optional(),
  qualifiedReference: z.string().optional(),
  scopedReference: z.string().optional(),
  referenceId: z.string().optional(),
  url: z.string().optional(),
  currentJob: workflowJobSchema.nullable().optional(),
  lastRunJob: workflowJobSchema.nullable().optional(),
  referencedTables: z.array(tableBaseSchema).optional(),
  sourceTable: tableBaseSchema.nullable().optional(),
  outputTable: tableBaseSchema.nullable().optional(),
};

/**
 * A notebook in a workflow (`/notebooks/:ref`; client-only endpoints). `uri` is required, also on `run` and
 * `stop` responses.
 */
export const notebookSchema = z.looseObject({ kind: z.literal('notebook').optional(), ...nodeFields });
/** A notebook; see {@link notebookSchema}. */
export type NotebookProperties = z.infer<typeof notebookSchema>;

/** A transform in a workflow (`/transforms/:ref`). `uri` is required, also on `run` and `cancel` responses. */
export const transformSchema = z.looseObject({
  kind: z.literal('transform').optional(),
  ...nodeFields,
  /** The transform's SQL, when it is a SQL transform. */
  query: z.string().nullable().optional(),
});
/** A transform; see {@link transformSchema}. */
export type TransformProperties = z.infer<typeof transformSchema>;

/** A workflow parameter (`/workflows/:ref/parameters/:name`). Required: `uri`, `name`, `values`. */
export const parameterSchema = z.looseObject({
  kind: z.literal('parameter').optional(),
  uri: z.string().min(1),
  name: z.string().min(1),
  type: z.string().nullable().optional(),
  values: z.array(z.unknown()),
});
/** A parameter; see {@link parameterSchema}. */
export type ParameterProperties = z.infer<typeof parameterSchema>;

/**
 * A workflow data source (`/workflows/:ref/dataSources/:source`). Required: `uri`, `id`; the source is a dataset
 * or a workflow (each with `qualifiedReference`).
 */
export const datasourceSchema = z.looseObject({
  kind: z.string().optional(),
  uri: z.string().min(1),
  id: idSchema,
  sourceDataset: datasetBaseSchema.nullable().optional(),
  sourceWorkflow: workflowBaseSchema.nullable().optional(),
  /** Source table (scoped reference) → destination table. */
  mappedTables: z.record(z.string(), z.unknown()).nullable().optional(),
});
/** A data source; see {@link datasourceSchema}. */
export type DatasourceProperties = z.infer<typeof datasourceSchema>;

/** A secret (`GET /users/:u/secrets/:name`, `GET /organizations/:o/secrets/:name`). `value` is required. */
export const secretSchema = z.looseObject({
  kind: z.literal('secret').optional(),
  name: z.string().optional(),
  value: z.string(),
});
/** A secret; see {@link secretSchema}. */
export type SecretProperties = z.infer<typeof secretSchema>;
