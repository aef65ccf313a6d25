import type { NotebookProperties } from '@redivis-ts/core';
import { notebookSchema } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import type { Table } from './Table.js';
import type { Workflow } from './Workflow.js';
import { tableRef, WorkflowNode } from './WorkflowNode.js';

/** Options of {@link Notebook.update}; only the fields given are sent. */
export interface UpdateNotebookOptions extends MethodOptions {
  /** A new name, unique within the workflow. */
  name?: string;
  /** The notebook's source table (object or qualified reference). */
  sourceTable?: Table | string;
}

/**
 * A notebook in a workflow, addressed as `owner.workflow.notebook`. `run()` starts it and polls its job; `stop()`
 * stops it. (Creating an output table from inside a running notebook comes with the upload package.)
 */
export class Notebook extends WorkflowNode<NotebookProperties> {
  /** @internal use `workflow.notebook(name)` or `redivis.notebook(ref)`. */
  constructor(
    ctx: ResourceContext,
    init: { name: string; workflow: Workflow; properties?: NotebookProperties },
  ) {
    super(ctx, init, 'notebooks', notebookSchema);
  }

  /** Stop the notebook (`POST {uri}/stop`). */
  stop(options?: MethodOptions): Promise<this> {
    return this.post('stop', options);
  }

  /** Rename it or change its source table (`PATCH {uri}`). */
  update(options: UpdateNotebookOptions): Promise<this> {
    return this.patch({ name: options.name, sourceTable: tableRef(options.sourceTable) }, options);
  }
}
