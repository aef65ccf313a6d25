/** A value and the index of the source that produced it. */
export interface Tagged<T> {
  source: number;
  value: T;
}

/** Options of {@link mergeBounded}. */
export interface MergeOptions {
  /** Sources read at once. */
  concurrency: number;
  /** Values buffered before producers wait for the consumer (back-pressure). */
  capacity: number;
  /** Aborts every source and rejects the consumer with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads several async sources at once and merges them into one async iterator. At most `capacity` values wait in
 * the buffer; a producer holding a further value waits for room, so a slow consumer slows the sources (and with
 * them the network reads). Each source gets a signal that aborts when the merge ends early (consumer `return`,
 * a failure, or the caller's signal), which is how open responses are released.
 *
 * The first failure of any source fails the merge and stops the others.
 *
 * @param sources - Source factories, started in index order as slots free up.
 * @param options - See {@link MergeOptions}.
 */
export function mergeBounded<T>(
  sources: readonly ((signal: AbortSignal) => AsyncIterable<T>)[],
  options: MergeOptions,
): AsyncIterableIterator<Tagged<T>> {
  const controller = new AbortController();
  const external = options.signal;
  const queue: Tagged<T>[] = [];
  let spaceWaiters: (() => void)[] = [];
  let consumer: { resolve: () => void } | undefined;
  let failure: { error: unknown } | undefined;
  let closed = false;
  let next = 0;
  let active = 0;

  const wake = () => {
    const c = consumer;
    consumer = undefined;
    c?.resolve();
  };
  const close = (reason?: unknown) => {
    if (closed) return;
    closed = true;
    controller.abort(reason);
    external?.removeEventListener('abort', onAbort);
    const waiters = spaceWaiters;
    spaceWaiters = [];
    for (const w of waiters) w();
    wake();
  };
  const fail = (error: unknown) => {
    if (closed) return;
    failure = { error };
    close(error);
  };
  const onAbort = () => fail(external!.reason);
  const room = () =>
    queue.length < options.capacity || closed
      ? Promise.resolve()
      : new Promise<void>((r) => spaceWaiters.push(r));

  const worker = async () => {
    active++;
    try {
      while (!closed && next < sources.length) {
        const index = next++;
        for await (const value of sources[index]!(controller.signal)) {
          await room();
          if (closed) break;
          queue.push({ source: index, value });
          wake();
        }
      }
    } catch (error) {
      fail(error);
    } finally {
      active--;
      wake();
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
        const item = queue.shift();
        if (item) {
          spaceWaiters.shift()?.();
          return { done: false, value: item };
        }
        if (closed || (active === 0 && next >= sources.length)) {
          close();
          return { done: true, value: undefined };
        }
        await new Promise<void>((resolve) => {
          consumer = { resolve };
        });
      }
    },
    async return(): Promise<IteratorResult<Tagged<T>>> {
      close();
      queue.length = 0;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
