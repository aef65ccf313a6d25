import type { NotebookProperties } from '@redivis-ts/core';
import { notebookSchema } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import type { CreateOutputTableOptions, OutputTableData } from './output-table.js';
import { ResourceUsageError } from './platform.js';
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
 * stops it; `createOutputTable()` writes the running job's output table.
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

  /**
   * Write the output table of the notebook's running job (Python's `create_output_table`): tabular data (an Arrow
   * Table, record batches or row objects) is sent as Parquet, other content must be a Parquet file's bytes.
   */
  async createOutputTable(data: OutputTableData, options?: CreateOutputTableOptions): Promise<Table> {
    const jobOfRun = () => (this.properties as { currentJob?: { id?: string } } | undefined)?.currentJob;
    if (!jobOfRun()?.id) await this.get(options);
    const current = jobOfRun();
    if (!current?.id) throw new ResourceUsageError(`Notebook ${this.qualifiedReference} has no running job.`);
    const { putOutputTable } = await import('./output-table.js');
    return this.ctx.make.Table.fromProperties(
      this.ctx,
      await putOutputTable(this.ctx, current.id, data, options),
    );
  }

  /** Rename it or change its source table (`PATCH {uri}`). */
  update(options: UpdateNotebookOptions): Promise<this> {
    return this.patch({ name: options.name, sourceTable: tableRef(options.sourceTable) }, options);
  }
}
