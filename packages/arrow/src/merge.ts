/** A value and the index of the source that produced it. */
export interface Tagged<T> {
  source: number;
  value: T;
}

/** Options of {@link mergeBounded} and `mergeOrdered`. */
export interface MergeOptions {
  /** Sources read at once. */
  concurrency: number;
  /** Values buffered before producers wait for the consumer (back-pressure). */
  capacity: number;
  /** Aborts every source and rejects the consumer with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Where a merge keeps the values its sources produced, and so the order in which the consumer gets them: the one
 * thing the merges differ in. The merge core (sources, workers, abort and failure) is {@link mergeSources}.
 */
export interface MergeQueue<T> {
  /** `undefined` when `source` may queue another value now, else a promise that resolves when it may. */
  room(source: number): Promise<void> | undefined;
  /** Queues a value of `source`. */
  push(source: number, value: T): void;
  /** Notes that `source` produced its last value. */
  end(source: number): void;
  /** The next value to hand on, if one is ready; frees room for its producer. */
  shift(): Tagged<T> | undefined;
  /** Lets every producer waiting for room go on (the merge is closing) and drops the queued values. */
  release(): void;
}

/**
 * Reads several async sources at once and hands their values on through one async iterator, in the order `queue`
 * gives them. Sources start in index order as slots free up, at most `concurrency` at a time; a producer the queue
 * has no room for waits, so a slow consumer slows the sources (and with them the network reads). Each source gets a
 * signal that aborts when the merge ends early (consumer `return`, a failure, or the caller's signal), which is how
 * open responses are released. The first failure of any source fails the merge and stops the others.
 *
 * @param sources - Source factories.
 * @param options - See {@link MergeOptions} (`capacity` is the queue's business).
 * @param queue - The ordering policy.
 */
export function mergeSources<T>(
  sources: readonly ((signal: AbortSignal) => AsyncIterable<T>)[],
  options: Pick<MergeOptions, 'concurrency' | 'signal'>,
  queue: MergeQueue<T>,
): AsyncIterableIterator<Tagged<T>> {
  const controller = new AbortController();
  const external = options.signal;
  let consumer: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  let closed = false;
  let next = 0;
  let ended = 0;

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
    queue.release();
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
      try {
        const source = (sources[index] as (signal: AbortSignal) => AsyncIterable<T>)(controller.signal);
        for await (const value of source) {
          const wait = closed ? undefined : queue.room(index);
          if (wait !== undefined) await wait;
          if (closed) break;
          queue.push(index, value);
          wake();
        }
      } catch (error) {
        fail(error);
      } finally {
        ended++;
        queue.end(index);
        wake();
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
        const item = closed ? undefined : queue.shift();
        if (item !== undefined) return { done: false, value: item };
        if (closed || ended === sources.length) {
          close();
          return { done: true, value: undefined };
        }
        await new Promise<void>((resolve) => {
          consumer = resolve;
        });
      }
    },
    async return(): Promise<IteratorResult<Tagged<T>>> {
      close();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** Values in arrival order, at most `capacity` of them waiting in all. */
class ArrivalQueue<T> implements MergeQueue<T> {
  #items: Tagged<T>[] = [];
  #waiters: (() => void)[] = [];
  constructor(readonly capacity: number) {}

  room(): Promise<void> | undefined {
    if (this.#items.length < this.capacity) return undefined;
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
  push(source: number, value: T): void {
    this.#items.push({ source, value });
  }
  end(): void {}
  shift(): Tagged<T> | undefined {
    const item = this.#items.shift();
    if (item !== undefined) this.#waiters.shift()?.();
    return item;
  }
  release(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#items.length = 0;
    for (const w of waiters) w();
  }
}

/**
 * Merges sources into one iterator in arrival order (see {@link mergeSources}). At most `capacity` values wait
 * in all, whichever sources they come from.
 *
 * @param sources - Source factories, started in index order as slots free up.
 * @param options - See {@link MergeOptions}.
 */
export function mergeBounded<T>(
  sources: readonly ((signal: AbortSignal) => AsyncIterable<T>)[],
  options: MergeOptions,
): AsyncIterableIterator<Tagged<T>> {
  return mergeSources(sources, options, new ArrivalQueue<T>(options.capacity));
}
