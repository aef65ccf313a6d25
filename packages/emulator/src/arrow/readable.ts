/**
 * Wraps a byte generator in a pull-based web ReadableStream: the generator advances only when the consumer (the HTTP
 * response) asks for more, so a slow client slows DuckDB down instead of filling memory. `onClose` runs exactly once,
 * whether the stream ends, fails, is cancelled, or `signal` aborts (the request's signal: a client that went away
 * before the server started pulling never cancels the body), to release the DuckDB connection.
 */
export function toReadableStream(
  source: AsyncGenerator<Uint8Array, void, undefined>,
  onClose: () => void = () => {},
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      signal?.removeEventListener('abort', close);
      onClose();
    }
  };
  if (signal?.aborted) close();
  else signal?.addEventListener('abort', close, { once: true });
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Loop past empty chunks: a pull that enqueues nothing would leave the reader waiting forever.
          for (;;) {
            const next = await source.next();
            if (next.done) {
              close();
              controller.close();
              return;
            }
            if (next.value.byteLength > 0) {
              controller.enqueue(next.value);
              return;
            }
          }
        } catch (error) {
          close();
          controller.error(error);
        }
      },
      async cancel() {
        try {
          await source.return(undefined);
        } finally {
          close();
        }
      },
    },
    { highWaterMark: 1 },
  );
}
