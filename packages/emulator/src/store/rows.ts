import type { JobStatus, MemberStatus, VariableType } from '@redivis-ts/core';

/** Rows of the metadata tables, as returned by `db.all` (snake_case columns, BIGINT as number). */

/** `users`. */
export interface UserRow {
  id: string;
  name: string;
  full_name: string | null;
  contact_email: string | null;
  orcid: string | null;
  created_at: number;
}

/** `organizations`. */
export interface OrgRow {
  id: string;
  name: string;
  full_name: string | null;
  ror: string | null;
  created_at: number;
}

/** `members`. */
export interface MemberRow {
  org_id: string;
  user_id: string;
  status: MemberStatus;
  is_admin: boolean;
  labels: string;
  created_at: number;
  submitted_at: number | null;
  approved_at: number | null;
  rejected_at: number | null;
  left_at: number | null;
}

/** `datasets`. */
export interface DatasetRow {
  id: string;
  reference_id: string;
  owner_kind: 'user' | 'organization';
  owner_id: string;
  name: string;
  description: string;
  public_access_level: string;
  labels: string;
  methodology_markdown: string;
  usage_markdown: string;
  contact_info: string;
  links: string;
  export_restrictions: string | null;
  sample_configuration: string | null;
  doi: string | null;
  created_at: number;
  updated_at: number;
}

/** `versions`. `major`/`minor` are null while the version is unreleased (tag `next`). */
export interface VersionRow {
  id: string;
  dataset_id: string;
  idx: number;
  major: number | null;
  minor: number | null;
  label: string | null;
  release_notes: string | null;
  is_released: boolean;
  is_deleted: boolean;
  status: JobStatus | null;
  release_error_message: string | null;
  created_at: number;
  updated_at: number;
  released_at: number | null;
}

/** `workflows`. */
export interface WorkflowRow {
  id: string;
  reference_id: string;
  owner_kind: 'user' | 'organization';
  owner_id: string;
  name: string;
  description: string;
  public_access_level: string;
  created_at: number;
  updated_at: number;
  last_active: number | null;
}

/** `tables`: one row per table per dataset version (or per workflow). */
export interface TableRow {
  id: string;
  reference_id: string;
  container_kind: 'dataset' | 'workflow';
  version_id: string | null;
  workflow_id: string | null;
  name: string;
  description: string;
  upload_merge_strategy: string;
  is_file_index: boolean;
  is_sample: boolean;
  /** For sample tables: id of the table (same version) they sample. */
  sample_of: string | null;
  entity: string | null;
  /** Physical DuckDB table in the `tabledata` schema (see `storageTable`). */
  storage: string;
  num_rows: number;
  num_bytes: number;
  created_at: number;
  updated_at: number;
}

/** `variables`. */
export interface VariableRow {
  id: string;
  table_id: string;
  idx: number;
  name: string;
  type: VariableType;
  label: string | null;
  description: string | null;
  value_labels: string;
  is_file_id: boolean;
}
