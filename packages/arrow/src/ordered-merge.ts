import type { MergeOptions, Tagged } from './merge.js';

interface SourceQueue<T> {
  items: T[];
  done: boolean;
  /** Resolves the producer waiting for room in this source's queue. */
  room?: (() => void) | undefined;
}

/**
 * Like {@link mergeBounded}, but values come out in source order: every value of source 0, then of source 1, and so
 * on, while up to `concurrency` sources are read at once. Each source buffers at most `capacity` values ahead of
 * the consumer, then waits, so memory stays bounded (`concurrency × capacity` values) and the later streams of a
 * read are already flowing when the consumer reaches them. Used where the order of the streams is the order of the
 * rows (a query's ORDER BY: the emulator and the service partition a result into contiguous streams).
 *
 * The first failure of any source fails the merge and stops the others; `return()` or the caller's signal aborts
 * every source.
 *
 * @param sources - Source factories, started in index order as slots free up.
 * @param options - See {@link MergeOptions}; `capacity` is per source here.
 */
export function mergeOrdered<T>(
  sources: readonly ((signal: AbortSignal) => AsyncIterable<T>)[],
  options: MergeOptions,
): AsyncIterableIterator<Tagged<T>> {
  const controller = new AbortController();
  const external = options.signal;
  const queues: SourceQueue<T>[] = sources.map(() => ({ items: [], done: false }));
  const capacity = Math.max(1, options.capacity);
  let consumer: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  let closed = false;
  let next = 0;
  let current = 0;

  const wake = () => {
    const c = consumer;
    consumer = undefined;
    c?.();
  };
  const close = (reason?: unknown) => {
    if (closed) return;
    closed = true;
    controller.abort(reason);
    external?.removeEventListener('abort', onAbort);
    for (const q of queues) {
      const r = q.room;
      q.room = undefined;
      r?.();
    }
    wake();
  };
  const fail = (error: unknown) => {
    if (closed) return;
    failure = { error };
    close(error);
  };
  const onAbort = () => fail(external?.reason);

  const worker = async () => {
    while (!closed && next < sources.length) {
      const index = next++;
      const queue = queues[index] as SourceQueue<T>;
      try {
        for await (const value of (sources[index] as (s: AbortSignal) => AsyncIterable<T>)(
          controller.signal,
        )) {
          if (queue.items.length >= capacity && !closed) {
            await new Promise<void>((resolve) => {
              queue.room = resolve;
            });
          }
          if (closed) break;
          queue.items.push(value);
          if (index === current) wake();
        }
      } catch (error) {
        fail(error);
      } finally {
        queue.done = true;
        if (index === current) wake();
      }
    }
  };

  if (external?.aborted) fail(external.reason);
  else {
    external?.addEventListener('abort', onAbort, { once: true });
    const workers = Math.max(1, Math.min(options.concurrency, sources.length));
    for (let i = 0; i < workers; i++) void worker();
  }

  const iterator: AsyncIterableIterator<Tagged<T>> = {
    async next(): Promise<IteratorResult<Tagged<T>>> {
      for (;;) {
        if (failure) throw failure.error;
        if (closed || current >= sources.length) {
          close();
          return { done: true, value: undefined };
        }
        const queue = queues[current] as SourceQueue<T>;
        if (queue.items.length > 0) {
          const value = queue.items.shift() as T;
          const room = queue.room;
          queue.room = undefined;
          room?.();
          return { done: false, value: { source: current, value } };
        }
        if (queue.done) {
          current++;
          continue;
        }
        await new Promise<void>((resolve) => {
          consumer = resolve;
        });
      }
    },
    async return(): Promise<IteratorResult<Tagged<T>>> {
      close();
      for (const q of queues) q.items.length = 0;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
