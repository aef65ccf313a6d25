import { z } from 'zod';
import { countSchema, geoBBoxSchema, jobStatusSchema, variableTypeSchema } from './common.js';

/** A statistic value: a number, a legacy int64 string, or `null` (string and boolean variables). */
const statisticValue = z.union([z.number(), z.string()]).nullable().optional();

/**
 * Summary statistics of a variable (`GET <variable.uri>/statistics`, and the legacy embedded `statistics`).
 * `status` is required: clients poll while it is `queued` or `running`.
 */
export const variableStatisticsSchema = z.looseObject({
  kind: z.string().optional(),
  status: jobStatusSchema,
  count: countSchema.nullable().optional(),
  numDistinct: countSchema.nullable().optional(),
  min: statisticValue,
  max: statisticValue,
  mean: statisticValue,
  approxMedian: statisticValue,
  geoBBox: geoBBoxSchema.nullable().optional(),
});
/** Variable statistics; see {@link variableStatisticsSchema}. */
export type VariableStatistics = z.infer<typeof variableStatisticsSchema>;

/** One value label: the stored value and its human-readable label. */
export const valueLabelSchema = z.looseObject({
  value: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  label: z.string().nullable(),
});
/** A value label; see {@link valueLabelSchema}. */
export type ValueLabel = z.infer<typeof valueLabelSchema>;

/**
 * A variable (get and list representations) of a table, upload or query result. Required: `uri`, `name`, `type`.
 */
export const variableSchema = z.looseObject({
  kind: z.literal('variable').optional(),
  /** e.g. `/tables/imathews.example:123.test:456/variables/var1`. */
  uri: z.string().min(1),
  url: z.string().optional(),
  name: z.string().min(1),
  type: variableTypeSchema,
  // list representation
  isFileId: z.boolean().optional(),
  /** Zero-based column position. */
  index: countSchema.optional(),
  label: z.string().nullable().optional(),
  // get representation
  description: z.string().nullable().optional(),
  valueLabels: z.array(valueLabelSchema).nullable().optional(),
  /** Legacy: statistics embedded in the get representation. */
  statistics: variableStatisticsSchema.nullable().optional(),
});
/** A variable; see {@link variableSchema}. */
export type VariableProperties = z.infer<typeof variableSchema>;
