// Version 5: temp uploads of notebook jobs (`POST /notebookJobs/:id/tempUploads`). Frozen once landed.

/**
 * A temp upload belongs to a table (`table_id`) or to a running notebook job (`job_id`, whose output table it
 * becomes): exactly one of the two is set.
 */
export const NOTEBOOK_JOB_TEMP_UPLOADS = `
  ALTER TABLE temp_uploads ALTER COLUMN table_id DROP NOT NULL;
  ALTER TABLE temp_uploads ADD COLUMN job_id VARCHAR;`;
