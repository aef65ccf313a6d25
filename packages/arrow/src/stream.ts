import { type CallOptions, callOptionsOf, sleep, TimeoutError } from '@redivis-ts/core';
import type { RecordBatch } from 'apache-arrow';
import { StreamReadError, StreamTruncatedError } from './errors.js';
import { decodeIpcStream, type IpcEnd } from './ipc.js';
import { isRetryableStreamError, reconnectDelay, resolveReconnect } from './retry.js';
import type { ArrowClient, ReconnectOptions } from './types.js';

/** Options of {@link readStream}: the call options (applied to each opening of the stream) and the resume policy. */
export interface ReadStreamOptions extends CallOptions {
  /**
   * Rows of the stream to skip: the server starts at this row (`offset`). Reconnects add the rows delivered since.
   * @default 0
   */
  offset?: number;
  /** Aborts the read: the open response is cancelled and iteration rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Reconnect policy; `false` fails at the first error. */
  reconnect?: ReconnectOptions | false;
  /** Called with the size of every chunk of response body received (for progress reporting). */
  onBytes?: (bytes: number) => void;
}

/**
 * Reads one read stream (`GET /readStreams/{id}?offset=N&eosSentinel=true`) as Arrow record batches, decoding the
 * IPC stream incrementally from the response body (memory holds about one batch).
 *
 * Resume: when the connection fails, the body is cut mid-message, or the stream ends without the end-of-stream
 * sentinel (a zero-row batch), the stream is reopened at `offset` = rows already delivered, so no row is lost or
 * repeated. Consecutive failures are bounded by `reconnect.limit` (then {@link StreamReadError}); errors such as 404 or
 * a rejected offset are not retried. Zero-row batches, the sentinel included, are not yielded.
 *
 * @param client - The core client.
 * @param streamId - A stream id from a read session.
 * @param options - See {@link ReadStreamOptions}.
 * @returns An async iterable of non-empty record batches with the stream's own schema.
 */
export async function* readStream(
  client: ArrowClient,
  streamId: string,
  options: ReadStreamOptions = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  const { signal, onBytes } = options;
  const policy = resolveReconnect(options.reconnect);
  const call = callOptionsOf(options);
  let delivered = options.offset ?? 0;
  let failures = 0;
  for (;;) {
    signal?.throwIfAborted();
    let body: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const response = await client.requestStream({
        path: `/readStreams/${encodeURIComponent(streamId)}`,
        query: { offset: delivered, eosSentinel: true },
        ...call,
      });
      body = response.body?.getReader();
      let end: IpcEnd = { eos: false, sentinel: false };
      if (body) {
        const batches = decodeIpcStream(chunks(body, onBytes, policy.idleTimeoutMs));
        try {
          for (let next = await batches.next(); ; next = await batches.next()) {
            if (next.done) {
              end = next.value;
              break;
            }
            failures = 0;
            delivered += next.value.numRows;
            yield next.value;
          }
        } finally {
          await batches.return({ eos: false, sentinel: false });
        }
      }
      // With eosSentinel the server ends every stream with a zero-row batch; the end-of-stream marker alone also
      // proves the body is whole. A body that simply stops on a message boundary has neither.
      if (end.sentinel || end.eos) return;
      throw new StreamTruncatedError({
        description: `Read stream ${streamId} ended without its end-of-stream marker after ${delivered} rows`,
        code: 'stream_truncated',
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!isRetryableStreamError(error)) throw error;
      if (++failures > policy.limit) {
        throw new StreamReadError({
          description: `Read stream ${streamId} failed ${failures} times in a row (last: ${describe(error)}); ${delivered} rows were delivered`,
          code: 'stream_failed',
          cause: error,
          streamId,
          offset: delivered,
        });
      }
      await sleep(reconnectDelay(failures, policy), signal);
    } finally {
      // Releases the connection when the consumer stops early or decoding failed mid-body.
      body?.cancel().catch(() => {});
    }
  }
}

async function* chunks(
  body: ReadableStreamDefaultReader<Uint8Array>,
  onBytes: ((bytes: number) => void) | undefined,
  idleTimeoutMs: number | false,
): AsyncGenerator<Uint8Array> {
  for (;;) {
    const { done, value } =
      idleTimeoutMs === false ? await body.read() : await readWithin(body, idleTimeoutMs);
    if (done) return;
    onBytes?.(value.byteLength);
    yield value;
  }
}

/** One read that fails (cancelling the body, so the connection is dropped) when no data comes within `ms`. */
async function readWithin(
  body: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError({
        description: `No data on the read stream for ${ms} ms`,
        code: 'stream_idle',
      });
      body.cancel(error).catch(() => {});
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([body.read(), idle]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
