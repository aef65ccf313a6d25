import { WaitTimeoutError } from '../errors/index.js';
import { sleep } from './sleep.js';

/** Options of {@link waitFor}. */
export interface WaitForOptions<T> {
  /** Whether `value` is the successful terminal state (e.g. `status === 'completed'`). */
  isDone(value: T): boolean;
  /**
   * Returns an error when `value` is a failed terminal state (e.g. a `JobFailedError` for `status === 'failed'`);
   * {@link waitFor} throws it. Checked before `isDone`.
   */
  isFailed?(value: T): Error | undefined;
  /**
   * First delay between polls, in milliseconds.
   * @defaultValue 500
   */
  minDelayMs?: number;
  /**
   * Largest delay between polls; delays double from `minDelayMs` up to this.
   * @defaultValue 2_000 (the official clients poll every 2 s)
   */
  maxDelayMs?: number;
  /**
   * Give up after this long with a `WaitTimeoutError`; `undefined` waits without limit.
   */
  maxWaitMs?: number;
  /**
   * Randomise each delay between half and all of its value, so many waiters do not poll in lockstep.
   * @defaultValue true
   */
  jitter?: boolean;
  /** Cancels waiting (and is passed to `poll`); rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Source of randomness in [0, 1) for the jitter. */
  random?: () => number;
}

/**
 * The delay after poll `n` (from 0): `minDelayMs * 2^n` capped at `maxDelayMs`, and with jitter a uniform value
 * between half of that and all of it.
 *
 * @param n - Index of the poll just made.
 * @param minDelayMs - First delay.
 * @param maxDelayMs - Largest delay.
 * @param jitter - Whether to randomise.
 * @param random - Source of randomness in [0, 1).
 */
export function pollDelay(
  n: number,
  minDelayMs: number,
  maxDelayMs: number,
  jitter = true,
  random: () => number = Math.random,
): number {
  const delay = Math.min(maxDelayMs, minDelayMs * 2 ** n);
  return jitter ? delay / 2 + random() * (delay / 2) : delay;
}

/**
 * Polls until a long-running job (query, upload, export, release) reaches a terminal state.
 *
 * The first poll happens at once; then delays grow exponentially from `minDelayMs` to `maxDelayMs`. The last
 * sleep is shortened so the waiter never oversleeps `maxWaitMs`.
 *
 * @example
 * ```ts
 * const query = await waitFor((signal) => client.request({ path: `/queries/${id}`, signal }), {
 *   isDone: (q) => q.status === 'completed',
 *   isFailed: (q) => (q.status === 'failed' ? new JobFailedError({ description: q.errorMessage }) : undefined),
 *   maxWaitMs: 600_000,
 * });
 * ```
 *
 * @param poll - Fetches the current state.
 * @param options - Terminal-state predicates, delays, maximum wait and signal.
 * @returns The first value for which `isDone` is true.
 * @throws The error `isFailed` returns; `WaitTimeoutError` after `maxWaitMs`; errors from `poll`.
 */
export async function waitFor<T>(
  poll: (signal?: AbortSignal) => Promise<T>,
  options: WaitForOptions<T>,
): Promise<T> {
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = Math.max(minDelay, options.maxDelayMs ?? 2_000);
  const random = options.random ?? Math.random;
  const { signal, maxWaitMs } = options;
  const started = Date.now();
  for (let n = 0; ; n++) {
    signal?.throwIfAborted();
    const value = await poll(signal);
    const failure = options.isFailed?.(value);
    if (failure) throw failure;
    if (options.isDone(value)) return value;
    let delay = pollDelay(n, minDelay, maxDelay, options.jitter ?? true, random);
    if (maxWaitMs !== undefined) {
      const left = maxWaitMs - (Date.now() - started);
      if (left <= 0) {
        throw new WaitTimeoutError({
          description: `Gave up waiting after ${maxWaitMs} ms`,
          code: 'wait_timeout',
          waitedMs: Date.now() - started,
        });
      }
      delay = Math.min(delay, left);
    }
    await sleep(delay, signal);
  }
}
