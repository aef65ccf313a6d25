import type { DatasetProperties, TableReference, WorkflowProperties } from '@redivis-ts/core';
import { formatTableReference, InvalidReferenceError, parseTableReference } from '@redivis-ts/core';
import type { ResourceContext } from './context.js';
import type { Dataset } from './Dataset.js';
import { ResourceUsageError } from './platform.js';
import type { Table } from './Table.js';
import type { Workflow } from './Workflow.js';

/** Helpers that build a table's container candidates. @internal */
export const tableParents = {
  datasetFrom(ctx: ResourceContext, container: unknown): Dataset {
    return ctx.make.Dataset.fromProperties(ctx, container as DatasetProperties);
  },
  workflowFrom(ctx: ResourceContext, container: unknown): Workflow {
    return ctx.make.Workflow.fromProperties(ctx, container as WorkflowProperties);
  },
  notInDataset(reference: string): ResourceUsageError {
    return new ResourceUsageError(
      `Table ${reference} is not in a dataset: tables can only be created in a dataset's next version.`,
    );
  },
};

/**
 * Build a table from a reference string, following the official clients: `owner.container[:…].table` keeps both
 * a dataset and a workflow candidate (settled by `get()`); a bare name is scoped by `REDIVIS_DEFAULT_NOTEBOOK`
 * (sent unscoped), `REDIVIS_DEFAULT_WORKFLOW` or `REDIVIS_DEFAULT_DATASET` from the platform's env. @internal
 */
export function tableFromReference(ctx: ResourceContext, reference: string): Table {
  const env = ctx.platform.env ?? {};
  const parsed: TableReference = parseTableReference(reference);
  const tableName = parsed.referenceId ? `${parsed.name}:${parsed.referenceId}` : parsed.name;
  if (parsed.parent) {
    const owner = parsed.owner ?? env.REDIVIS_DEFAULT_USER ?? env.REDIVIS_DEFAULT_ORGANIZATION;
    if (!owner) {
      throw new InvalidReferenceError({
        input: reference,
        description: `Table reference '${reference}' has no owner; write it as owner.dataset.table.`,
      });
    }
    const full: TableReference = { ...parsed, owner };
    const { name, referenceId, version, sample } = parsed.parent;
    const dataset = new ctx.make.Dataset(ctx, {
      owner,
      name,
      ...(referenceId ? { referenceId } : {}),
      ...(version ? { version } : {}),
      ...(sample ? { sample } : {}),
    });
    const workflow =
      version || sample
        ? undefined
        : new ctx.make.Workflow(ctx, { owner, name, ...(referenceId ? { referenceId } : {}) });
    return new ctx.make.Table(ctx, {
      name: tableName,
      localRef: formatTableReference(full),
      dataset,
      ...(workflow ? { workflow } : {}),
    });
  }
  if (env.REDIVIS_DEFAULT_NOTEBOOK) return new ctx.make.Table(ctx, { name: tableName, localRef: tableName });
  if (env.REDIVIS_DEFAULT_WORKFLOW)
    return ctx.make.Workflow.fromReference(ctx, env.REDIVIS_DEFAULT_WORKFLOW).table(tableName);
  if (env.REDIVIS_DEFAULT_DATASET)
    return ctx.make.Dataset.fromReference(ctx, env.REDIVIS_DEFAULT_DATASET).table(tableName);
  throw new InvalidReferenceError({
    input: reference,
    description:
      `Table reference '${reference}' is not qualified: write owner.dataset.table, or set ` +
      'REDIVIS_DEFAULT_WORKFLOW / REDIVIS_DEFAULT_DATASET.',
  });
}
