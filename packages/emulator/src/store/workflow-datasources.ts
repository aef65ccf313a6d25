// Workflow data sources (table `wf_datasources`, from the migration list).

/** `wf_datasources` row: `source_ref` is the dataset or workflow reference as the caller gave it. */
export interface DatasourceRow {
  id: string;
  workflow_id: string;
  source_kind: 'dataset' | 'workflow';
  source_ref: string;
  mapped_tables: string;
  created_at: number;
  updated_at: number;
}
