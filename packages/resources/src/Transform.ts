import type { TransformProperties } from '@redivis-ts/core';
import { transformSchema } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import type { Table } from './Table.js';
import type { Workflow } from './Workflow.js';
import { tableRef, WorkflowNode } from './WorkflowNode.js';

/** Options of {@link Transform.update}; only the fields given are sent. */
export interface UpdateTransformOptions extends MethodOptions {
  /** A new name, unique within the workflow. */
  name?: string;
  /** The transform's SQL. */
  query?: string;
  /** The transform's source table (object or qualified reference). */
  sourceTable?: Table | string;
}

/**
 * A SQL transform in a workflow, addressed as `owner.workflow.transform`. `run()` executes its query into its output
 * table and polls the job; `cancel()` cancels a running job.
 */
export class Transform extends WorkflowNode<TransformProperties> {
  /** @internal use `workflow.transform(name)` or `redivis.transform(ref)`. */
  constructor(
    ctx: ResourceContext,
    init: { name: string; workflow: Workflow; properties?: TransformProperties },
  ) {
    super(ctx, init, 'transforms', transformSchema);
  }

  /** Cancel the running job (`POST {uri}/cancel`); returns the transform (the Python client returns nothing). */
  cancel(options?: MethodOptions): Promise<this> {
    return this.post('cancel', options);
  }

  /** Rename it, change its SQL or its source table (`PATCH {uri}`). */
  update(options: UpdateTransformOptions): Promise<this> {
    return this.patch(
      { name: options.name, query: options.query, sourceTable: tableRef(options.sourceTable) },
      options,
    );
  }
}
