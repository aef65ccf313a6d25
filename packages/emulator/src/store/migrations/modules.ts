// Version 2: the tables that route modules used to create with CREATE TABLE IF NOT EXISTS at every start (OAuth,
// workflow extras and secrets, queries, upload records, exports, raw files). Frozen, like every migration. The
// statements keep IF NOT EXISTS because data dirs from before the migration list already hold these tables.

/** OAuth state: registered apps, codes, device codes, refresh tokens and sign-in sessions (secrets as hashes). */
const OAUTH = `
  CREATE TABLE IF NOT EXISTS oauth_apps (client_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
    secret_hash VARCHAR, redirect_uris VARCHAR NOT NULL, allow_offline BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS oauth_codes (code_hash VARCHAR NOT NULL, client_id VARCHAR, user_id VARCHAR NOT NULL,
    scopes VARCHAR NOT NULL, redirect_uri VARCHAR NOT NULL, code_challenge VARCHAR NOT NULL,
    offline BOOLEAN NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT);
  CREATE TABLE IF NOT EXISTS oauth_device_codes (device_code_hash VARCHAR NOT NULL, user_code VARCHAR NOT NULL,
    client_id VARCHAR, scopes VARCHAR NOT NULL, code_challenge VARCHAR, offline BOOLEAN NOT NULL,
    status VARCHAR NOT NULL, user_id VARCHAR, interval_sec INTEGER NOT NULL, last_polled_at BIGINT,
    created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS oauth_refresh_tokens (token_hash VARCHAR NOT NULL, client_id VARCHAR NOT NULL,
    user_id VARCHAR NOT NULL, scopes VARCHAR NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT);
  CREATE TABLE IF NOT EXISTS web_sessions (session_hash VARCHAR NOT NULL, user_id VARCHAR NOT NULL,
    csrf_token VARCHAR NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);`;

/** Workflow parameters, data sources, notebooks/transforms and their jobs; secrets; member comments. */
const WORKFLOW_EXTRAS = `
  CREATE TABLE IF NOT EXISTS wf_parameters (id VARCHAR NOT NULL, workflow_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
    type VARCHAR NOT NULL, "values" VARCHAR NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS wf_datasources (id VARCHAR NOT NULL, workflow_id VARCHAR NOT NULL,
    source_kind VARCHAR NOT NULL, source_ref VARCHAR NOT NULL, mapped_tables VARCHAR NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS wf_nodes (id VARCHAR NOT NULL, workflow_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
    reference_id VARCHAR NOT NULL, name VARCHAR NOT NULL, query VARCHAR, source_table_ref VARCHAR,
    output_table_id VARCHAR, output_name VARCHAR NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS wf_jobs (id VARCHAR NOT NULL, node_id VARCHAR NOT NULL, status VARCHAR NOT NULL,
    error_message VARCHAR, created_at BIGINT NOT NULL, finished_at BIGINT);
  CREATE TABLE IF NOT EXISTS secrets (owner_kind VARCHAR NOT NULL, owner_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
    value VARCHAR NOT NULL, created_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS member_comments (org_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL,
    author_id VARCHAR NOT NULL, text VARCHAR NOT NULL, created_at BIGINT NOT NULL);`;

/** Query jobs; their outputs are tables of the `queryresults` schema. */
const QUERIES = `
  CREATE SCHEMA IF NOT EXISTS queryresults;
  CREATE TABLE IF NOT EXISTS queries (id VARCHAR NOT NULL, user_id VARCHAR NOT NULL,
    query VARCHAR NOT NULL, default_dataset VARCHAR, default_workflow VARCHAR, status VARCHAR NOT NULL,
    error_message VARCHAR, output_schema VARCHAR, output_num_rows BIGINT, output_num_bytes BIGINT,
    created_at BIGINT NOT NULL, started_at BIGINT, completed_at BIGINT);`;

/** Upload records, exports and raw-file contents. */
const FILES = `
  CREATE TABLE IF NOT EXISTS uploads (id VARCHAR NOT NULL, table_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
    type VARCHAR NOT NULL, status VARCHAR NOT NULL, error_message VARCHAR, storage VARCHAR NOT NULL,
    size BIGINT NOT NULL DEFAULT 0, hash VARCHAR, num_rows BIGINT NOT NULL DEFAULT 0,
    num_bytes BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS exports (id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, table_id VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL, format VARCHAR NOT NULL, status VARCHAR NOT NULL, error_message VARCHAR,
    path VARCHAR, size BIGINT, created_at BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS raw_files (id VARCHAR NOT NULL, dataset_id VARCHAR, content VARCHAR NOT NULL,
    size BIGINT NOT NULL, md5_hash VARCHAR NOT NULL, created_at BIGINT NOT NULL);`;

/** Every module table that predates the migration list. */
export const MODULE_TABLES = OAUTH + WORKFLOW_EXTRAS + QUERIES + FILES;
