// Version 1: the core metadata schema. Frozen: a schema change is a new migration, never an edit here (data dirs
// that already ran this must reach the same schema as fresh ones).
//
// Timestamps are BIGINT epoch milliseconds (the wire format); JSON-ish columns hold JSON text. No PRIMARY KEY /
// UNIQUE constraints: every write goes through the serialized connection and the store checks uniqueness on the
// escaped, case-folded names itself (the uniqueness rule Redivis applies is not expressible as a plain index).

/** Users, organizations, members, API tokens, datasets, versions, workflows, tables, variables, meta_kv. */
export const CORE_SCHEMA = `CREATE SCHEMA IF NOT EXISTS tabledata;
   CREATE TABLE users (id VARCHAR NOT NULL, name VARCHAR NOT NULL, full_name VARCHAR, contact_email VARCHAR,
     orcid VARCHAR, created_at BIGINT NOT NULL);
   CREATE TABLE organizations (id VARCHAR NOT NULL, name VARCHAR NOT NULL, full_name VARCHAR, ror VARCHAR,
     created_at BIGINT NOT NULL);
   CREATE TABLE members (org_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, status VARCHAR NOT NULL,
     is_admin BOOLEAN NOT NULL, labels VARCHAR NOT NULL DEFAULT '[]', created_at BIGINT NOT NULL,
     submitted_at BIGINT, approved_at BIGINT, rejected_at BIGINT, left_at BIGINT);
   CREATE TABLE api_tokens (id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, name VARCHAR NOT NULL,
     token_hash VARCHAR NOT NULL, scopes VARCHAR NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
     last_used_at BIGINT, revoked_at BIGINT);
   CREATE TABLE datasets (id VARCHAR NOT NULL, reference_id VARCHAR NOT NULL, owner_kind VARCHAR NOT NULL,
     owner_id VARCHAR NOT NULL, name VARCHAR NOT NULL, description VARCHAR NOT NULL DEFAULT '',
     public_access_level VARCHAR NOT NULL, labels VARCHAR NOT NULL DEFAULT '[]',
     methodology_markdown VARCHAR NOT NULL DEFAULT '', usage_markdown VARCHAR NOT NULL DEFAULT '',
     contact_info VARCHAR NOT NULL DEFAULT '', links VARCHAR NOT NULL DEFAULT '[]',
     export_restrictions VARCHAR, sample_configuration VARCHAR, doi VARCHAR,
     created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
   CREATE TABLE dataset_access (dataset_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, level VARCHAR NOT NULL);
   CREATE TABLE versions (id VARCHAR NOT NULL, dataset_id VARCHAR NOT NULL, idx INTEGER NOT NULL,
     major INTEGER, minor INTEGER, label VARCHAR, release_notes VARCHAR, is_released BOOLEAN NOT NULL,
     is_deleted BOOLEAN NOT NULL DEFAULT false, status VARCHAR, release_error_message VARCHAR,
     created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, released_at BIGINT);
   CREATE TABLE workflows (id VARCHAR NOT NULL, reference_id VARCHAR NOT NULL, owner_kind VARCHAR NOT NULL,
     owner_id VARCHAR NOT NULL, name VARCHAR NOT NULL, description VARCHAR NOT NULL DEFAULT '',
     public_access_level VARCHAR NOT NULL DEFAULT 'none', created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
     last_active BIGINT);
   CREATE TABLE workflow_access (workflow_id VARCHAR NOT NULL, user_id VARCHAR NOT NULL, level VARCHAR NOT NULL);
   CREATE TABLE tables (id VARCHAR NOT NULL, reference_id VARCHAR NOT NULL, container_kind VARCHAR NOT NULL,
     version_id VARCHAR, workflow_id VARCHAR, name VARCHAR NOT NULL, description VARCHAR NOT NULL DEFAULT '',
     upload_merge_strategy VARCHAR NOT NULL DEFAULT 'append', is_file_index BOOLEAN NOT NULL DEFAULT false,
     is_sample BOOLEAN NOT NULL DEFAULT false, sample_of VARCHAR, entity VARCHAR, storage VARCHAR NOT NULL,
     num_rows BIGINT NOT NULL DEFAULT 0, num_bytes BIGINT NOT NULL DEFAULT 0,
     created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
   CREATE TABLE variables (id VARCHAR NOT NULL, table_id VARCHAR NOT NULL, idx INTEGER NOT NULL,
     name VARCHAR NOT NULL, type VARCHAR NOT NULL, label VARCHAR, description VARCHAR,
     value_labels VARCHAR NOT NULL DEFAULT '[]', is_file_id BOOLEAN NOT NULL DEFAULT false);
   CREATE TABLE meta_kv (key VARCHAR NOT NULL, value VARCHAR);`;
