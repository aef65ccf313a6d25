import type { EmulatorContext } from '../context.js';
import { storageTable } from '../store/schema.js';
import { measureRows, tableVariables } from '../store/tables.js';
import {
  failInterruptedUploads,
  getUpload,
  markUploadFailed,
  markUploadRunning,
  type UploadOptions,
  type UploadRow,
  uploadOptions,
} from '../store/uploads.js';
import { removeFile, uploadFile } from './files.js';
import { mergeIntoTable } from './merge.js';
import { cleanMessage, md5File, type StagedUpload, stageFile, stageTableCopy } from './stage.js';

/** Raised when an upload was deleted while it was processing: nothing to report. */
class UploadGone extends Error {}

/**
 * Processes uploads in the background, one at a time in the order they were queued: `queued` → `running` (the
 * file parsed into the upload's own storage table on a separate connection) → `completed` (its rows merged into
 * the table in one transaction) or `failed` with the reason. A failure at any step leaves the table exactly as it
 * was; a stop leaves the upload `running`, and the next start marks it failed ({@link recoverUploads}).
 */
export class UploadProcessor {
  #chain: Promise<void> = Promise.resolve();
  readonly #pending = new Set<Promise<void>>();
  #stopped = false;

  constructor(private readonly ctx: EmulatorContext) {}

  /**
   * Queues an upload (its record is already `queued`). `injectedFailure` (fault injection) makes its processing
   * fail with that message after parsing, before anything reaches the table.
   */
  enqueue(uploadId: string, injectedFailure?: string): void {
    const job = this.#chain.then(() => this.#process(uploadId, injectedFailure));
    this.#chain = job.catch(() => undefined);
    const tracked = job.catch((e) => console.error('[redivis-emulator] upload processing:', e));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  /** Resolves once every queued upload has finished (tests; stop). */
  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }

  /** Refuses new work and waits for the running job (its DuckDB statement was interrupted by the stop). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.idle();
  }

  async #process(uploadId: string, injectedFailure: string | undefined): Promise<void> {
    const { ctx } = this;
    if (this.#stopped) return;
    if (!(await markUploadRunning(ctx.db, uploadId, ctx.now()))) return;
    const upload = (await getUpload(ctx.db, uploadId)) as UploadRow;
    const options = { ...defaults(), ...uploadOptions(upload) } as UploadOptions;
    const files = upload.data_file
      ? {
          data: uploadFile(ctx.dataDir, upload.data_file),
          scratch: uploadFile(ctx.dataDir, `${upload.data_file}_rows`),
        }
      : undefined;
    try {
      const hash = files && !upload.hash ? md5File(files.data) : Promise.resolve(upload.hash);
      hash.catch(() => undefined);
      const staged = await this.#stage(upload, options, files);
      const md5 = await hash;
      if (injectedFailure) throw new Error(injectedFailure);
      await ctx.db.transaction(async (tx) => {
        const current = await getUpload(tx, upload.id);
        if (!current || current.status !== 'running') throw new UploadGone();
        const others = await tx.one<{ n: number }>(
          "SELECT count(*) AS n FROM uploads WHERE table_id = ? AND status = 'completed' AND id <> ?",
          [upload.table_id, upload.id],
        );
        // Measured once: a table adopting the staged rows takes this size instead of scanning them again.
        const size = await measureRows(
          tx,
          storageTable(upload.storage),
          staged.columns.map((c) => ({ column: c.name, type: c.type })),
        );
        await mergeIntoTable(tx, {
          tableId: upload.table_id,
          source: storageTable(upload.storage),
          adoptable: { storage: upload.storage, ...size },
          columns: staged.columns,
          replace: options.mergeStrategy === 'replace' && (others?.n ?? 0) === 0,
          metadata: options.metadata,
          at: ctx.now(),
        });
        const at = ctx.now();
        await tx.run(
          `UPDATE uploads SET status = 'completed', num_rows = ?, num_bytes = ?, bad_records_count = ?, hash = ?,
             finished_at = ?, updated_at = ?, data_file = NULL, columns = ? WHERE id = ?`,
          [
            staged.numRows,
            size.numBytes,
            staged.badRecords,
            md5,
            at,
            at,
            JSON.stringify(staged.columns),
            upload.id,
          ],
        );
      });
    } catch (e) {
      // A stop interrupted the work: the upload stays `running` and the next start fails it.
      if (ctx.db.closing) return;
      await ctx.db.run(`DROP TABLE IF EXISTS ${storageTable(upload.storage)}`).catch(() => undefined);
      if (e instanceof UploadGone) return;
      const message = files ? cleanMessage((e as Error).message, files, upload.name) : (e as Error).message;
      await markUploadFailed(ctx.db, upload.id, message || 'The upload failed', ctx.now());
    } finally {
      if (files && !ctx.db.closing) {
        await removeFile(files.data);
        await removeFile(files.scratch);
      }
    }
  }

  async #stage(
    upload: UploadRow,
    options: UploadOptions,
    files: { data: string; scratch: string } | undefined,
  ): Promise<StagedUpload> {
    const conn = await this.ctx.db.openStreamConnection();
    try {
      if (options.transferFromTableId) {
        const source = await this.ctx.db.one<{ storage: string }>('SELECT storage FROM tables WHERE id = ?', [
          options.transferFromTableId,
        ]);
        if (!source) throw new Error('The transfer source table no longer exists');
        const variables = await tableVariables(this.ctx.db, options.transferFromTableId);
        return await stageTableCopy(conn, upload, { storage: source.storage, variables });
      }
      if (!files) throw new Error('The upload has no data to process');
      return await stageFile(conn, upload, options, files);
    } finally {
      void this.ctx.db.releaseStreamConnection(conn);
    }
  }
}

/** Parse options of uploads created before options were stored (all defaults). */
export function defaults(): UploadOptions {
  return {
    delimiter: null,
    quoteCharacter: null,
    escapeCharacter: null,
    hasHeaderRow: true,
    hasQuotedNewlines: null,
    allowJaggedRows: false,
    skipBadRecords: false,
    nullMarkers: null,
    schema: null,
    metadata: null,
    mergeStrategy: 'append',
    compression: null,
    transferFromTableId: null,
  };
}

/**
 * Startup recovery: uploads a stop interrupted are failed (their rows never reached the table: the merge is one
 * transaction), their half-built storage tables dropped and their files removed.
 */
export async function recoverUploads(ctx: EmulatorContext): Promise<void> {
  const interrupted = await failInterruptedUploads(ctx.db, ctx.now());
  for (const u of interrupted) {
    await ctx.db.run(`DROP TABLE IF EXISTS ${storageTable(u.storage)}`);
    if (u.data_file) {
      await removeFile(uploadFile(ctx.dataDir, u.data_file));
      await removeFile(uploadFile(ctx.dataDir, `${u.data_file}_rows`));
    }
  }
}
