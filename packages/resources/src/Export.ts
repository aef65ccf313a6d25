import type { ExportProperties } from '@redivis-ts/core';
import { exportSchema, JobFailedError, path, waitFor } from '@redivis-ts/core';
import type { MethodOptions, ResourceContext } from './context.js';
import { callOptions } from './context.js';
import type { DownloadProgress } from './download.js';
import { downloadMany } from './download-many.js';
import { parentOf, requireFs, ResourceUsageError } from './platform.js';

/** Options of the methods that download to a local path. */
export interface DownloadOptions extends MethodOptions {
  /** Target directory or file path; the working directory when absent. */
  path?: string;
  /** Replace existing files. @default false */
  overwrite?: boolean;
  /** Parts downloaded at once. @defaultValue 48 */
  maxConcurrency?: number;
  /** @deprecated The Python client's thread count; taken as `maxConcurrency` when that is absent. */
  maxParallelization?: number;
  /** Export progress, 0–100, while the export is prepared. */
  onProgress?: (percentCompleted: number) => void;
  /** Byte progress of the parts, once the export is ready. */
  onDownloadProgress?: (progress: DownloadProgress) => void;
}

/** Options of {@link Export.waitForFinish}. */
export interface ExportWaitOptions extends MethodOptions {
  /** Called with `percentCompleted` after each poll. */
  onProgress?: (percentCompleted: number) => void;
  /** Give up after this long (a `WaitTimeoutError`). */
  maxWaitMs?: number;
}

/** An export of a table to files (`csv`, `parquet`, …): the read side — poll it, then fetch its parts. */
export class Export {
  /** The export id. */
  readonly id: string;
  /** Server properties (`status`, `percentCompleted`, `fileCount`, `size`, `format`, `table`, …). */
  properties: ExportProperties | undefined;
  readonly #ctx: ResourceContext;

  /** @internal built by `table.download()`. */
  constructor(ctx: ResourceContext, id: string, properties?: ExportProperties) {
    this.#ctx = ctx;
    this.id = id;
    this.properties = properties;
  }

  /** API path: the server's `uri`, else `/exports/{id}`. */
  get uri(): string {
    return this.properties?.uri ?? path`/exports/${this.id}`;
  }

  /** Fetch the export (`GET {uri}`). */
  async get(options?: MethodOptions): Promise<this> {
    this.properties = await this.#ctx.client.request({
      ...callOptions(options),
      path: this.uri,
      schema: exportSchema,
    });
    return this;
  }

  /** Poll until the export completes; `failed` / `cancelled` reject with `JobFailedError`. */
  async waitForFinish(options?: ExportWaitOptions): Promise<this> {
    if (this.properties?.status === 'completed') return this;
    this.properties = await waitFor(
      async (signal) => {
        const p = await this.#ctx.client.request({
          ...callOptions(options),
          ...(signal ? { signal } : {}),
          path: this.uri,
          schema: exportSchema,
        });
        options?.onProgress?.(Number(p.percentCompleted ?? 0));
        return p;
      },
      {
        isDone: (p) => ['completed', 'failed', 'cancelled'].includes(p.status),
        isFailed: (p) =>
          p.status === 'failed' || p.status === 'cancelled'
            ? new JobFailedError({
                description:
                  p.status === 'failed'
                    ? `Export job failed with message: ${p.errorMessage ?? ''}`
                    : 'Export job was cancelled',
                kind: 'export',
                jobStatus: p.status,
              })
            : undefined,
        minDelayMs: 500,
        maxDelayMs: 2000,
        ...(options?.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
        ...(options?.signal ? { signal: options.signal } : {}),
      },
    );
    return this;
  }

  /** The bytes of one part as a stream (`GET {uri}/download?filePart=n`); works without a file system. */
  async openFilePart(filePart: number, options?: MethodOptions): Promise<ReadableStream<Uint8Array>> {
    const response = await this.#ctx.client.requestStream({
      ...callOptions(options),
      path: `${this.uri}/download`,
      query: { filePart },
    });
    if (!response.body) return new Blob([]).stream();
    return response.body;
  }

  /**
   * Wait for the export, then download every part to disk (needs {@link Platform.fs}); returns the paths written.
   * Naming follows the Python client: one part → `<escaped_table_name>.<format>`; several → a folder of that name
   * holding `000000.<format>`, `000001.<format>`…; a `path` naming a file is used as-is for a single part.
   */
  async downloadFiles(options?: DownloadOptions): Promise<string[]> {
    const fs = requireFs(this.#ctx.platform, 'export.downloadFiles()');
    await this.waitForFinish(options);
    const props = this.properties as ExportProperties;
    const fileCount = Number(props.fileCount ?? 1);
    const format = String(props.format ?? 'csv');
    const tableName = (props.table as { name?: string } | undefined)?.name ?? 'table';
    const escaped = tableName.replace(/\W+/g, '_').toLowerCase();
    let target = fs.resolve(options?.path ?? '.');
    let isDir = await fs.isDirectory(target);
    if (isDir) {
      if (fileCount > 1) target = fs.join(target, escaped);
    } else if (
      options?.path?.endsWith('/') ||
      ((await fs.size(target)) === undefined && !(target.split(/[\\/]/).pop() ?? '').includes('.'))
    ) {
      isDir = true;
    } else if (fileCount > 1) {
      throw new ResourceUsageError(
        `Path '${target}' is a file, but the export consists of ${fileCount} files; give a directory.`,
      );
    }
    const names = Array.from({ length: fileCount }, (_, i) =>
      isDir ? fs.join(target, `${fileCount === 1 ? escaped : String(i).padStart(6, '0')}.${format}`) : target,
    );
    if (!options?.overwrite) {
      for (const name of names) {
        if ((await fs.size(name)) !== undefined)
          throw new ResourceUsageError(
            `File already exists at '${name}'; pass { overwrite: true } to replace it.`,
          );
      }
    }
    await fs.mkdir(isDir ? target : parentOf(target));
    const jobs = names.map((target, filePart) => ({
      path: `${this.uri}/download`,
      query: { filePart },
      target,
    }));
    await downloadMany(
      this.#ctx,
      jobs,
      {
        ...(options?.maxConcurrency !== undefined ? { maxConcurrency: options.maxConcurrency } : {}),
        ...(options?.maxParallelization !== undefined
          ? { maxParallelization: options.maxParallelization }
          : {}),
        ...(options?.onDownloadProgress ? { onProgress: options.onDownloadProgress } : {}),
      },
      callOptions(options),
    );
    return names;
  }
}
