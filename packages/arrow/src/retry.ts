import { isRedivisError } from '@redivis-ts/core';
import type { StreamRetryOptions } from './types.js';

/** The reconnect policy with defaults applied. */
export interface ResolvedStreamRetry {
  limit: number;
  minDelayMs: number;
  maxDelayMs: number;
  idleTimeoutMs: number | false;
}

/**
 * Defaults of {@link StreamRetryOptions}: 10 consecutive failures, 250 ms doubling to 8 s, and a body idle for
 * 125 s (the official clients' request timeout) counts as dropped.
 */
export const DEFAULT_STREAM_RETRY: Readonly<ResolvedStreamRetry> = {
  limit: 10,
  minDelayMs: 250,
  maxDelayMs: 8000,
  idleTimeoutMs: 125_000,
};

/** @param options - Caller's overrides. */
export function resolveStreamRetry(options: StreamRetryOptions | undefined): ResolvedStreamRetry {
  return { ...DEFAULT_STREAM_RETRY, ...options };
}

/** Delay before reconnect number `failures` (1-based): exponential with "equal jitter". */
export function reconnectDelay(failures: number, policy: ResolvedStreamRetry): number {
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (failures - 1));
  return base / 2 + (Math.random() * base) / 2;
}

/**
 * Whether a failure while opening or reading a stream is worth a reconnect: dropped connections, bodies cut
 * short (which surface as fetch `TypeError`s or Arrow decoding errors), timeouts, 408/429/5xx. Other HTTP
 * errors (an invalid offset, a missing stream, no access) are final.
 */
export function isRetryableStreamError(error: unknown): boolean {
  if (isRedivisError(error)) {
    const { status } = error;
    return status === undefined || status === 408 || status === 429 || status >= 500;
  }
  return true;
}

/** Waits `ms`, rejecting with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
