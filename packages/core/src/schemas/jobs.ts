import { z } from 'zod';
import { countSchema, idSchema, jobStatusSchema, timestampSchema, variableTypeSchema } from './common.js';
import { tableBaseSchema } from './tables.js';

/** One column of a query's output schema. */
export const queryOutputFieldSchema = z.looseObject({ name: z.string(), type: variableTypeSchema });
/** A query output column; see {@link queryOutputFieldSchema}. */
export type QueryOutputField = z.infer<typeof queryOutputFieldSchema>;

/**
 * A query (`POST /queries`, `GET /queries/:id`). Required: `kind`, `uri`, `id`, `status` and `errorMessage`
 * (`null` unless failed). Output fields are `null` until the query completes.
 */
export const querySchema = z.looseObject({
  kind: z.literal('query'),
  uri: z.string().min(1),
  id: idSchema,
  status: jobStatusSchema,
  errorMessage: z.string().nullable(),
  outputNumRows: countSchema.nullable().optional(),
  outputNumBytes: countSchema.nullable().optional(),
  outputSchema: z.array(queryOutputFieldSchema).nullable().optional(),
  createdAt: timestampSchema.optional(),
});
/** A query; see {@link querySchema}. */
export type QueryProperties = z.infer<typeof querySchema>;

/** Export file formats. */
export const exportFormatSchema = z.enum(['csv', 'parquet', 'ndjson', 'avro', 'dta', 'sav']);
/** An export format. */
export type ExportFormat = z.infer<typeof exportFormatSchema>;

/**
 * An export (`POST /tables/:ref/exports`, `GET /exports/:id`). Every field the clients read is required;
 * `size` and `fileCount` are `null` until the export completes, `table` is `null` once the table is deleted.
 */
export const exportSchema = z.looseObject({
  kind: z.literal('export'),
  uri: z.string().min(1),
  id: z.string().min(1),
  createdAt: timestampSchema.optional(),
  status: jobStatusSchema,
  errorMessage: z.string().nullable(),
  /** 0–100. */
  percentCompleted: z.number().min(0).max(100),
  format: exportFormatSchema,
  size: countSchema.nullable(),
  fileCount: countSchema.nullable(),
  table: tableBaseSchema.nullable(),
});
/** An export; see {@link exportSchema}. */
export type ExportProperties = z.infer<typeof exportSchema>;

/** One stream of a read session. `id` is required; `estimatedRows` is used for progress. */
export const readStreamInfoSchema = z.looseObject({
  kind: z.literal('readStream').optional(),
  id: z.string().min(1),
  estimatedRows: countSchema.nullable().optional(),
});
/** A read stream entry; see {@link readStreamInfoSchema}. */
export type ReadStreamInfo = z.infer<typeof readStreamInfoSchema>;

/**
 * A read session (`POST <table|upload|query uri>/readSessions`). Required: `streams` and `numRows`.
 */
export const readSessionSchema = z.looseObject({
  kind: z.literal('readSession').optional(),
  id: z.string().optional(),
  /** ms since the epoch; sessions last 6 hours. */
  expiresAt: timestampSchema.optional(),
  format: z.enum(['arrow', 'jsonl', 'csv', 'json']).optional(),
  streams: z.array(readStreamInfoSchema),
  numRows: countSchema,
});
/** A read session; see {@link readSessionSchema}. */
export type ReadSession = z.infer<typeof readSessionSchema>;
