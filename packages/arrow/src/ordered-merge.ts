import { type MergeOptions, type MergeQueue, mergeSources, type Tagged } from './merge.js';

interface SourceQueue<T> {
  items: T[];
  done: boolean;
  /** Resolves the producer waiting for room in this source's queue. */
  room?: (() => void) | undefined;
}

/** Values in source order: one queue per source of at most `capacity` values, drained one source after the other. */
class SourceOrderQueue<T> implements MergeQueue<T> {
  readonly #queues: SourceQueue<T>[];
  #current = 0;

  constructor(
    sources: number,
    readonly capacity: number,
  ) {
    this.#queues = Array.from({ length: sources }, () => ({ items: [], done: false }));
  }

  room(source: number): Promise<void> | undefined {
    const queue = this.#queues[source] as SourceQueue<T>;
    if (queue.items.length < this.capacity) return undefined;
    return new Promise<void>((resolve) => {
      queue.room = resolve;
    });
  }
  push(source: number, value: T): void {
    (this.#queues[source] as SourceQueue<T>).items.push(value);
  }
  end(source: number): void {
    (this.#queues[source] as SourceQueue<T>).done = true;
  }
  shift(): Tagged<T> | undefined {
    while (this.#current < this.#queues.length) {
      const queue = this.#queues[this.#current] as SourceQueue<T>;
      if (queue.items.length > 0) {
        const value = queue.items.shift() as T;
        this.#free(queue);
        return { source: this.#current, value };
      }
      if (!queue.done) return undefined;
      this.#current++;
    }
    return undefined;
  }
  release(): void {
    for (const queue of this.#queues) {
      queue.items.length = 0;
      this.#free(queue);
    }
  }
  #free(queue: SourceQueue<T>): void {
    const room = queue.room;
    queue.room = undefined;
    room?.();
  }
}

/**
 * Like {@link mergeBounded}, but values come out in source order: every value of source 0, then of source 1, and so
 * on, while up to `concurrency` sources are read at once. Each source buffers at most `capacity` values ahead of
 * the consumer, then waits, so memory stays bounded (`concurrency × capacity` values) and the later streams of a
 * read are already flowing when the consumer reaches them. Used where the order of the streams is the order of the
 * rows (a query's ORDER BY: the emulator and the service partition a result into contiguous streams). The merge
 * itself (sources, abort, failure) is {@link mergeSources}.
 *
 * @param sources - Source factories, started in index order as slots free up.
 * @param options - See {@link MergeOptions}; `capacity` is per source here.
 */
export function mergeOrdered<T>(
  sources: readonly ((signal: AbortSignal) => AsyncIterable<T>)[],
  options: MergeOptions,
): AsyncIterableIterator<Tagged<T>> {
  return mergeSources(
    sources,
    options,
    new SourceOrderQueue<T>(sources.length, Math.max(1, options.capacity)),
  );
}
