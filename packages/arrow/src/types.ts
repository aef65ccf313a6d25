import type {
  CallOptions,
  ReadSession,
  ReadStreamInfo,
  RedivisTransport,
  RetryOptions,
  VariableType,
} from '@redivis-ts/core';
import type { RecordBatch } from 'apache-arrow';

/** The part of the core client the readers use: JSON requests, pagination and streamed bodies. */
export type ArrowClient = Pick<RedivisTransport, 'request' | 'requestStream' | 'paginate'>;

// The variable types and the read-session shapes are core's (one owner per name across the packages).
export type { ReadSession, ReadStreamInfo, VariableType };

/** What the readers need to know about one variable: its name (server casing) and type. */
export interface VariableInfo {
  /** The variable name as the server spells it. */
  name: string;
  /** The Redivis type; it fixes the Arrow type of the column (see the README's type table). */
  type: VariableType | (string & {});
}

/** How `integer` (Arrow int64) values become JavaScript values in {@link listRows} and {@link toGeoJSON}. */
export type Int64Mode = 'number' | 'bigint' | 'string';

/** Progress reported after each batch handed to the caller. */
export interface ReadProgress {
  /** Rows delivered so far. */
  rows: number;
  /** Response bytes received so far, over every stream and retry. */
  bytes: number;
  /** Rows the read will deliver in total, when the server said (capped by `maxResults`). */
  totalRows?: number;
}

/**
 * How a read stream that failed mid-body or was cut short is reopened at the row it reached. The backoff keys are
 * core's `RetryOptions` names and mean the same; they apply to reconnects, while `retry` (as on every method) applies
 * to each request, the opening of a stream included.
 */
export interface ReconnectOptions
  extends Partial<Pick<RetryOptions, 'limit' | 'initialDelayMs' | 'backoffLimitMs' | 'jitter'>> {
  /**
   * Consecutive failed attempts allowed per stream before the read fails with a `StreamReadError`; the count
   * resets whenever a batch arrives.
   * @default 10
   */
  limit?: number;
  /**
   * Backoff base: reconnect `n` (from 0) waits up to `initialDelayMs * 2^n`.
   * @default 250
   */
  initialDelayMs?: number;
  /**
   * Upper bound of one reconnect delay.
   * @default 8000
   */
  backoffLimitMs?: number;
  /**
   * A response body that sends nothing for this long while the reader waits for data is treated as dropped and
   * the stream is reopened (waiting on a slow consumer never counts). `false` waits forever.
   * @default 125000
   */
  idleTimeoutMs?: number | false;
}

/** Transforms (or drops, by returning `null`/`undefined`) each batch before it is handed on. */
export type BatchPreprocessor = (
  batch: RecordBatch,
) => RecordBatch | null | undefined | Promise<RecordBatch | null | undefined>;

/**
 * Options every reader accepts: the call options every method takes (`signal`, `timeout`, `retry`, `headers`, applied
 * to each request of the read) and what to read.
 */
export interface ReadOptions extends CallOptions {
  /** Exact cap on the rows read (sent to the server and enforced locally: never exceeded). */
  maxResults?: number;
  /** Variables to read, matched case-insensitively; their order sets the column order. Default: all. */
  variables?: string[];
  /**
   * Streams read in parallel. The session is asked for this many streams.
   * @default min(8, streams the session returns)
   */
  maxParallelization?: number;
  /** Applied to each batch after schema reconciliation and the `maxResults` cut; `null` drops the batch. */
  batchPreprocessor?: BatchPreprocessor;
  /** Called after each batch is handed on. */
  onProgress?: (progress: ReadProgress) => void;
  /** Aborts the read: open responses are cancelled and the read rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Integer mapping for {@link listRows} and {@link toGeoJSON}: `'number'` throws an `UnsafeIntegerError` on a
   * value beyond ±(2^53 − 1); `'bigint'` and `'string'` are always exact. Arrow batches always hold int64.
   * @default 'number'
   */
  int64?: Int64Mode;
  /** Reopening of streams that fail mid-body (see {@link ReconnectOptions}); `false` fails the read at once. */
  reconnect?: ReconnectOptions | false;
}

/** A plain value of a row returned by {@link listRows}; see the README's type table. */
export type RowValue = string | number | bigint | boolean | null;

/** A row returned by {@link listRows}: variable name → value, in variable order. */
export type Row = Record<string, RowValue>;

/**
 * How {@link listRows} and {@link toRowIterator} hand out rows: `'objects'` (variable name → value) or `'arrays'`
 * (values in variable order, for callers that know the columns and want less per row).
 */
export type RowMode = 'objects' | 'arrays';

/** {@link ReadOptions} plus the row shape, for the readers that return rows. */
export interface RowReadOptions extends ReadOptions {
  /**
   * Row shape: objects keyed by variable name, or arrays of values in variable order.
   * @default 'objects'
   */
  rowMode?: RowMode;
}

/** {@link RowReadOptions} asking for array rows. */
export interface ArrayRowReadOptions extends RowReadOptions {
  /** Rows as arrays of values in variable order. */
  rowMode: 'arrays';
}
