/**
 * A counting semaphore whose waiters can give up: `acquire` waits in FIFO order until one of `size` slots is free
 * and rejects when `signal` aborts (the waiter leaves the queue, so no released slot is lost on it).
 */
export class Slots {
  #used = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(readonly size: number) {}

  /** Slots taken now (for tests and diagnostics). */
  get used(): number {
    return this.#used;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#used < this.size && this.#waiters.length === 0) {
      this.#used++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(grant);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Frees a slot, handing it straight to the longest waiter if there is one. */
  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#used--;
  }
}
