import { z } from 'zod';
import { countSchema, idSchema, timestampSchema, workflowAccessLevelSchema } from './common.js';
import { ownerSchema } from './owners.js';

/** The study a workflow belongs to. */
export const studySchema = z.looseObject({ kind: z.literal('study').optional(), name: z.string() });
/** A study; see {@link studySchema}. */
export type StudyProperties = z.infer<typeof studySchema>;

/**
 * `workflow.base`, as embedded in a table's `container` or a data source. `name` and `qualifiedReference` are
 * required.
 */
export const workflowBaseSchema = z.looseObject({
  kind: z.literal('workflow').optional(),
  id: idSchema.optional(),
  /** e.g. `imathews.example_workflow_climate_analysis:x7kh`. */
  qualifiedReference: z.string().min(1),
  scopedReference: z.string().min(1).optional(),
  referenceId: z.string().optional(),
  name: z.string().min(1),
  url: z.string().optional(),
  uri: z.string().optional(),
  owner: ownerSchema.optional(),
});
/** An embedded workflow; see {@link workflowBaseSchema}. */
export type WorkflowBaseProperties = z.infer<typeof workflowBaseSchema>;

/**
 * A workflow (get and list representations). Required: `name`, `qualifiedReference`, `scopedReference`, `uri`.
 */
export const workflowSchema = workflowBaseSchema.extend({
  scopedReference: z.string().min(1),
  uri: z.string().min(1),
  // list representation
  createdAt: timestampSchema.optional(),
  publicAccessLevel: workflowAccessLevelSchema.optional(),
  studyAccessLevel: workflowAccessLevelSchema.nullable().optional(),
  accessLevel: workflowAccessLevelSchema.optional(),
  study: studySchema.nullable().optional(),
  // get representation
  lastActive: timestampSchema.nullable().optional(),
  tableCount: countSchema.optional(),
  transformCount: countSchema.optional(),
  notebookCount: countSchema.optional(),
  description: z.string().nullable().optional(),
});
/** A workflow; see {@link workflowSchema}. */
export type WorkflowProperties = z.infer<typeof workflowSchema>;
