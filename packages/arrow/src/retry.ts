import { backoffDelay, isRedivisError } from '@redivis-ts/core';
import type { ReconnectOptions } from './types.js';

/** The reconnect policy with defaults applied (`false` is a limit of 0). */
export type ResolvedReconnect = Required<ReconnectOptions>;

/**
 * Defaults of {@link ReconnectOptions}: 10 consecutive failures, backoff from 250 ms to 8 s with full jitter, and a
 * body idle for 125 s (the official clients' request timeout) counts as dropped.
 */
export const DEFAULT_RECONNECT: Readonly<ResolvedReconnect> = {
  limit: 10,
  initialDelayMs: 250,
  backoffLimitMs: 8000,
  jitter: true,
  idleTimeoutMs: 125_000,
};

/** @param options - Caller's overrides; `false` never reconnects. */
export function resolveReconnect(options: ReconnectOptions | false | undefined): ResolvedReconnect {
  if (options === false) return { ...DEFAULT_RECONNECT, limit: 0 };
  return { ...DEFAULT_RECONNECT, ...options };
}

/** Delay before reconnect number `failures` (1-based): core's backoff, so reads and requests back off alike. */
export function reconnectDelay(failures: number, policy: ResolvedReconnect): number {
  return backoffDelay(failures - 1, policy);
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
