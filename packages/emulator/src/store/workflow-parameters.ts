// Workflow parameters (table `wf_parameters`, from the migration list).

/** `wf_parameters` row. */
export interface ParameterRow {
  id: string;
  workflow_id: string;
  name: string;
  type: string;
  values: string;
  created_at: number;
  updated_at: number;
}

/** Infers a parameter type from its values (integers, numbers, booleans, else strings). */
export function inferParameterType(values: readonly unknown[]): string {
  if (values.length && values.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'integer';
  if (values.length && values.every((v) => typeof v === 'number')) return 'float';
  if (values.length && values.every((v) => typeof v === 'boolean')) return 'boolean';
  return 'string';
}
