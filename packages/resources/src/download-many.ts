import type { CallOptions } from '@redivis-ts/core';
import pLimit from 'p-limit';
import type { ResourceContext } from './context.js';
import type { DownloadJob, DownloadProgress } from './download.js';
import { downloadFile } from './download.js';

/** Files downloaded at once when the caller does not say (the Python client's per-worker default). */
export const DEFAULT_MAX_CONCURRENCY = 48;

/** Options shared by the methods that download several files. */
export interface ConcurrencyOptions {
  /** Files downloaded at once. @defaultValue 48 */
  maxConcurrency?: number;
  /** @deprecated The Python client's thread count; taken as `maxConcurrency` when that is absent. */
  maxParallelization?: number;
  /** Called as bytes arrive and files complete. */
  onProgress?: (progress: DownloadProgress) => void;
}

/**
 * Run `jobs` with at most `maxConcurrency` in flight (p-limit), reporting combined progress. The first failure
 * stops new downloads from starting and is rethrown once the running ones settle. @internal
 */
export async function downloadMany(
  ctx: ResourceContext,
  jobs: DownloadJob[],
  options: ConcurrencyOptions,
  call: CallOptions,
): Promise<void> {
  const limit = pLimit(
    Math.max(1, options.maxConcurrency ?? options.maxParallelization ?? DEFAULT_MAX_CONCURRENCY),
  );
  const sizes = new Map<number, number>();
  const progress: DownloadProgress = { bytesDownloaded: 0, filesCompleted: 0, totalFiles: jobs.length };
  const report = () => options.onProgress?.({ ...progress });
  let failed = false;
  const runs = jobs.map((job, i) =>
    limit(async () => {
      if (failed) return;
      try {
        await downloadFile(
          ctx,
          {
            ...job,
            onBytes: (delta) => {
              progress.bytesDownloaded += delta;
              report();
            },
            onSize: (size) => {
              sizes.set(i, size);
              if (sizes.size === jobs.length)
                progress.totalBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
            },
          },
          call,
        );
        progress.filesCompleted++;
        report();
      } catch (error) {
        failed = true;
        throw error;
      }
    }),
  );
  const results = await Promise.allSettled(runs);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
