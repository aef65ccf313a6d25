import { z } from 'zod';
import { countSchema, idSchema, jobStatusSchema, resultsEnvelopeSchema } from './common.js';
import { uploadMergeStrategySchema } from './tables.js';

/** Upload file types (`csv` is the legacy name of `delimited`). */
export const uploadTypeSchema = z.enum([
  'delimited',
  'csv',
  'stream',
  'avro',
  'ndjson',
  'parquet',
  'orc',
  'xls',
  'xlsx',
  'dta',
  'sas7bdat',
  'sav',
  'geojson',
  'geojsonl',
  'json',
  'shp',
  'shp.zip',
  'kml',
]);
/** An upload type. */
export type UploadType = z.infer<typeof uploadTypeSchema>;

const uploadListFields = {
  kind: z.literal('upload'),
  /** e.g. `/tables/<tableRef>/uploads/<name>`. */
  uri: z.string().min(1),
  url: z.string().optional(),
  id: idSchema.optional(),
  name: z.string().min(1),
  status: jobStatusSchema,
  hash: z.string().nullable().optional(),
  size: countSchema.nullable().optional(),
  numRows: countSchema.nullable().optional(),
  numBytes: countSchema.nullable().optional(),
};

const uploadGetFields = {
  type: uploadTypeSchema.nullable().optional(),
  hasHeaderRow: z.boolean().nullable().optional(),
  delimiter: z.string().nullable().optional(),
  quoteCharacter: z.string().nullable().optional(),
  escapeCharacter: z.string().nullable().optional(),
  skipBadRecords: z.boolean().nullable().optional(),
  badRecordsCount: countSchema.nullable().optional(),
  hasQuotedNewlines: z.boolean().nullable().optional(),
  /** Legacy name of `hasQuotedNewlines`. */
  allowQuotedNewLines: z.boolean().nullable().optional(),
  allowJaggedRows: z.boolean().nullable().optional(),
  nullMarkers: z.array(z.string()).nullable().optional(),
  mergeStrategy: uploadMergeStrategySchema.nullable().optional(),
};

/**
 * An upload as listed by `GET /tables/:ref/uploads`. Required: `kind`, `uri`, `name`, `status`.
 */
export const uploadListItemSchema = z.looseObject({
  ...uploadListFields,
  ...uploadGetFields,
  errorMessage: z.string().nullable().optional(),
});
/** A listed upload; see {@link uploadListItemSchema}. */
export type UploadListItemProperties = z.infer<typeof uploadListItemSchema>;

/**
 * An upload's get representation (post, get): as {@link uploadListItemSchema}, plus the required `errorMessage`
 * (`null` unless the import failed), which clients read when polling.
 */
export const uploadSchema = z.looseObject({
  ...uploadListFields,
  ...uploadGetFields,
  errorMessage: z.string().nullable(),
});
/** An upload; see {@link uploadSchema}. */
export type UploadProperties = z.infer<typeof uploadSchema>;

/**
 * A temporary upload slot (`POST /tables/:ref/tempUploads`). Required: `id`, `url` and `resumable`. The docs type
 * `size` as a string; numbers are accepted too.
 */
export const tempUploadSchema = z.looseObject({
  kind: z.literal('tempUpload').optional(),
  id: z.string().min(1),
  /** Storage URL: `PUT` the bytes here, or `POST` to start a resumable session. */
  url: z.string().min(1),
  name: z.string().optional(),
  size: z.union([countSchema, z.string()]).optional(),
  resumable: z.boolean(),
});
/** A temporary upload; see {@link tempUploadSchema}. */
export type TempUpload = z.infer<typeof tempUploadSchema>;

/** The `tempUploadList` response (unpaginated; order matches the request). */
export const tempUploadListSchema = resultsEnvelopeSchema(tempUploadSchema);

/** A non-tabular file in a file-index table (`POST /tables/:ref/rawFiles`). `id` is required. */
export const rawFileSchema = z.looseObject({
  kind: z.literal('rawFile').optional(),
  /** e.g. `93qh-6wdzwrz84.bc574P4o8ypzp8yKCnrgIw`. */
  id: z.string().min(1),
  uri: z.string().optional(),
  url: z.string().optional(),
  name: z.string().optional(),
  md5Hash: z.string().nullable().optional(),
  size: countSchema.optional(),
});
/** A raw file; see {@link rawFileSchema}. */
export type RawFile = z.infer<typeof rawFileSchema>;

/** The `rawFileList` response of `POST /tables/:ref/rawFiles` (unpaginated). */
export const rawFileListSchema = resultsEnvelopeSchema(rawFileSchema);

const schemaVariableSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  previousType: z.string().optional(),
});

/** The response of `POST .../uploads/:name/rows` (insertRows). */
export const insertRowsResponseSchema = z.looseObject({
  kind: z.string().optional(),
  rowsAdded: countSchema.optional(),
  rowsSkipped: countSchema.optional(),
  schemaUpdates: z
    .array(
      z.looseObject({
        updatedVariables: z.array(schemaVariableSchema).optional(),
        addedVariables: z.array(schemaVariableSchema).optional(),
      }),
    )
    .optional(),
});
/** An insertRows response; see {@link insertRowsResponseSchema}. */
export type InsertRowsResponse = z.infer<typeof insertRowsResponseSchema>;
