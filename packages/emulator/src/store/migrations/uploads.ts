// Version 3: the write half of uploads. Frozen once landed, like every migration.

/**
 * Upload records gain who created them, their parse options (JSON), bad-record counts, the data file waiting to be
 * processed, processing times and the variables it imported (JSON `[{name, type}]`); temp uploads are the byte slots of `POST {table}/tempUploads` (the bytes live in
 * a file under the data dir whose length is the number of bytes received, so a restart loses nothing).
 */
export const UPLOADS_WRITE_SCHEMA = `
  ALTER TABLE uploads ADD COLUMN user_id VARCHAR;
  ALTER TABLE uploads ADD COLUMN options VARCHAR DEFAULT '{}';
  ALTER TABLE uploads ADD COLUMN bad_records_count BIGINT DEFAULT 0;
  ALTER TABLE uploads ADD COLUMN data_file VARCHAR;
  ALTER TABLE uploads ADD COLUMN started_at BIGINT;
  ALTER TABLE uploads ADD COLUMN finished_at BIGINT;
  ALTER TABLE uploads ADD COLUMN columns VARCHAR;
  CREATE TABLE temp_uploads (id VARCHAR NOT NULL, table_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL, size BIGINT NOT NULL, resumable BOOLEAN NOT NULL, session_id VARCHAR,
    completed_at BIGINT, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);`;
