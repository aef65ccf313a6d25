import { z } from 'zod';
import { VARIABLE_TYPES } from './variable-types.js';

/** A timestamp: integer milliseconds since the Unix epoch (may be negative for temporal coverage before 1970). */
export const timestampSchema = z.int();

/** A count or size: a non-negative safe integer. */
export const countSchema = z.int().nonnegative();

/**
 * Dataset access levels in ascending order: `none` < `overview` < `metadata` < `sample` < `data` < `edit`.
 */
export const accessLevelSchema = z.enum(['none', 'overview', 'metadata', 'sample', 'data', 'edit']);
/** One of the dataset access levels; see {@link accessLevelSchema}. */
export type AccessLevel = z.infer<typeof accessLevelSchema>;

/** Workflow access levels: `none`, `view`, `edit`. */
export const workflowAccessLevelSchema = z.enum(['none', 'view', 'edit']);
/** One of the workflow access levels. */
export type WorkflowAccessLevel = z.infer<typeof workflowAccessLevelSchema>;

/** Variable types (`time` appears in query output schemas); the list and its facts live in variable-types.ts. */
export const variableTypeSchema = z.enum(VARIABLE_TYPES);

/**
 * Status of an asynchronous job (query, upload import, export, version release, variable statistics).
 * `cancelled` is documented for exports and handled by the clients for queries.
 */
export const jobStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
/** One of the job statuses. */
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** `[min, max]` temporal coverage in ms since the epoch. */
export const temporalRangeSchema = z.tuple([timestampSchema, timestampSchema]);
/** Temporal coverage; see {@link temporalRangeSchema}. */
export type TemporalRange = z.infer<typeof temporalRangeSchema>;

/** Geographic bounding box in degrees. */
export const geoBBoxSchema = z.looseObject({
  westLongitude: z.number(),
  eastLongitude: z.number(),
  northLatitude: z.number(),
  southLatitude: z.number(),
});
/** A bounding box; see {@link geoBBoxSchema}. */
export type GeoBBox = z.infer<typeof geoBBoxSchema>;

/** Resource ids that the docs type as integer in field tables but string in JSON: either is accepted. */
export const idSchema = z.union([z.string().min(1), z.int()]);

/**
 * The opaque page token: a string, or `null` on the last page. The members-list docs type it as an integer, so
 * numbers are accepted and turned into strings (tokens are echoed back verbatim).
 */
export const pageTokenSchema = z.union([z.string(), z.int().transform(String)]).nullable();

/**
 * The list page envelope every paginated endpoint returns: `{ kind, results, nextPageToken }`. The
 * `nextPageToken` key must be present (`null` on the last page): the Python client indexes it directly.
 *
 * @example
 * ```ts
 * const page = listEnvelopeSchema(tableListItemSchema).parse(body);
 * ```
 * @param item - Schema of one entry of `results`.
 * @returns The envelope schema.
 */
export function listEnvelopeSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    kind: z.string().optional(),
    results: z.array(item),
    nextPageToken: pageTokenSchema,
  });
}
/** One page of a list endpoint. */
export interface ListEnvelope<T> {
  /** e.g. `datasetList`, `memberList`. */
  kind?: string;
  /** The entries of this page. */
  results: T[];
  /** Token for the next page; `null` on the last page. */
  nextPageToken: string | null;
  /** Unknown fields pass through. */
  [key: string]: unknown;
}

/**
 * An unpaginated `{ kind, results }` envelope (as returned by `tempUploads` and `rawFiles` creation).
 *
 * @param item - Schema of one entry of `results`.
 * @returns The envelope schema.
 */
export function resultsEnvelopeSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    kind: z.string().optional(),
    results: z.array(item),
  });
}
