import { JobFailedError, waitFor } from '@redivis-ts/core';
import type { MethodOptions } from './context.js';

/** The job object notebooks and transforms carry (`currentJob` / `lastRunJob`). */
export interface JobInfo {
  /** The job id. */
  id?: string;
  /** Where the job stands, e.g. `queued`, `running`, `completed`, `failed`, `cancelled`. */
  status?: string;
  /** Why the job failed, when it did. */
  errorMessage?: string | null;
  /** What the job runs, e.g. `notebook` or `transform`. */
  kind?: string;
}

/** Options of `notebook.run()` / `transform.run()`. */
export interface RunOptions extends MethodOptions {
  /** Poll until the job ends. @default true */
  waitForFinish?: boolean;
  /** Give up waiting after this long (a `WaitTimeoutError`); the job keeps running. */
  maxWaitMs?: number;
  /** First poll delay in ms. @default 500 */
  minDelayMs?: number;
  /** Longest poll delay in ms. @default 2000, the official clients' interval */
  maxDelayMs?: number;
}

/** The job a notebook/transform representation points at: the running one, else the last run. @internal */
export function jobOf(
  properties: { currentJob?: unknown; lastRunJob?: unknown } | undefined,
): JobInfo | undefined {
  return (properties?.currentJob ?? properties?.lastRunJob ?? undefined) as JobInfo | undefined;
}

/**
 * Poll `refresh` until the job is `completed`, `failed` or `cancelled` (the Python client never stops on
 * `cancelled`; R does). `failed` and `cancelled` reject with `JobFailedError`. @internal
 */
export function waitForJob<T extends { currentJob?: unknown; lastRunJob?: unknown }>(
  refresh: (signal?: AbortSignal) => Promise<T>,
  kind: string,
  options?: RunOptions,
): Promise<T> {
  return waitFor(refresh, {
    isDone: (p) => ['completed', 'failed', 'cancelled'].includes(jobOf(p)?.status ?? ''),
    isFailed: (p) => {
      const job = jobOf(p);
      if (job?.status === 'failed')
        return new JobFailedError({
          description: job.errorMessage ?? `${kind} job failed`,
          kind,
          jobStatus: 'failed',
        });
      if (job?.status === 'cancelled')
        return new JobFailedError({ description: `${kind} job was cancelled`, kind, jobStatus: 'cancelled' });
      return undefined;
    },
    minDelayMs: options?.minDelayMs ?? 500,
    maxDelayMs: options?.maxDelayMs ?? 2000,
    ...(options?.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options?.signal ? { signal: options.signal } : {}),
  });
}
