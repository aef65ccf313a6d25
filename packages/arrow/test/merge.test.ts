import { describe, expect, it } from 'vitest';
import { type MergeOptions, mergeBounded, type Tagged } from '../src/merge.js';
import { mergeOrdered } from '../src/ordered-merge.js';

// Both merges share one core (sources, back-pressure, abort, failure); only the order of the values differs.
type Merge = (
  sources: readonly ((signal: AbortSignal) => AsyncIterable<number>)[],
  options: MergeOptions,
) => AsyncIterableIterator<Tagged<number>>;
const merges: [string, Merge][] = [
  ['mergeBounded', mergeBounded],
  ['mergeOrdered', mergeOrdered],
];

const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** A source that counts what it produced and stops when its signal aborts. */
function counting(counter: { produced: number; aborted: number }) {
  return async function* (signal: AbortSignal) {
    signal.addEventListener('abort', () => counter.aborted++);
    for (let i = 0; ; i++) {
      await null;
      if (signal.aborted) return;
      counter.produced++;
      yield i;
    }
  };
}

describe.each(merges)('%s', (_, merge) => {
  it('holds producers once the queue is full, and releases them when the consumer takes values', async () => {
    const counter = { produced: 0, aborted: 0 };
    const merged = merge([counting(counter), counting(counter)], { concurrency: 2, capacity: 2 });
    await merged.next();
    await ticks(50);
    // Bounded: 2 queued + 1 taken + 1 held per source. Ordered: 2 queued per source + 1 taken + 1 held per source.
    const bound = merge === mergeBounded ? 5 : 7;
    expect(counter.produced).toBeGreaterThanOrEqual(3);
    expect(counter.produced).toBeLessThanOrEqual(bound);
    const before = counter.produced;
    for (let i = 0; i < 4; i++) await merged.next();
    await ticks(50);
    expect(counter.produced).toBeGreaterThan(before);
    expect(counter.produced).toBeLessThanOrEqual(bound + 4);
    await merged.return?.();
    expect(counter.aborted).toBe(2);
  });

  it("rejects with the caller's abort reason and aborts every source", async () => {
    const counter = { produced: 0, aborted: 0 };
    const controller = new AbortController();
    const merged = merge([counting(counter), counting(counter)], {
      concurrency: 2,
      capacity: 1,
      signal: controller.signal,
    });
    await merged.next();
    controller.abort(new Error('stop'));
    await expect(merged.next()).rejects.toThrow('stop');
    expect(counter.aborted).toBe(2);
  });

  it('hands on every value of sources started as slots free up, then ends', async () => {
    const finite = (values: number[]) =>
      async function* () {
        yield* values;
      };
    const out: number[] = [];
    for await (const { value } of merge([finite([1, 2]), finite([3]), finite([]), finite([4, 5, 6])], {
      concurrency: 2,
      capacity: 1,
    })) {
      out.push(value);
    }
    expect(out.sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fails at once on an aborted signal without starting a source', async () => {
    let started = 0;
    const merged = merge(
      [
        async function* () {
          started++;
          yield 1;
        },
      ],
      { concurrency: 1, capacity: 1, signal: AbortSignal.abort(new Error('before')) },
    );
    await expect(merged.next()).rejects.toThrow('before');
    expect(started).toBe(0);
  });
});
