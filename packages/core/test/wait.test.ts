import { describe, expect, it } from 'vitest';
import { JobFailedError, WaitTimeoutError } from '../src/errors/index.js';
import { pollDelay, waitFor } from '../src/wait/index.js';
import { rejectionOf } from './helpers/rejection.js';

interface Job {
  status: 'queued' | 'running' | 'completed' | 'failed';
  errorMessage?: string;
}

/** A job that goes through the given states, one per poll (the last one repeats). */
function job(states: Job[]) {
  let polls = 0;
  const signals: (AbortSignal | undefined)[] = [];
  return {
    poll: async (signal?: AbortSignal) => {
      signals.push(signal);
      return states[Math.min(polls++, states.length - 1)];
    },
    polls: () => polls,
    signals,
  };
}

const isDone = (j: Job) => j.status === 'completed';
const isFailed = (j: Job) =>
  j.status === 'failed'
    ? new JobFailedError({ description: j.errorMessage ?? 'failed', kind: 'query' })
    : undefined;

describe('waitFor', () => {
  it('polls until done and returns the final value', async () => {
    const j = job([{ status: 'queued' }, { status: 'running' }, { status: 'completed' }]);
    const controller = new AbortController();
    const result = await waitFor(j.poll, { isDone, minDelayMs: 1, maxDelayMs: 2, signal: controller.signal });
    expect(result.status).toBe('completed');
    expect(j.polls()).toBe(3);
    expect(j.signals.every((s) => s === controller.signal)).toBe(true);
  });

  it('throws the error isFailed returns', async () => {
    const j = job([{ status: 'running' }, { status: 'failed', errorMessage: 'Syntax error at line 1' }]);
    const error = await rejectionOf(waitFor(j.poll, { isDone, isFailed, minDelayMs: 1 }));
    expect(error).toBeInstanceOf(JobFailedError);
    expect(error.description).toBe('Syntax error at line 1');
  });

  it('gives up after maxWaitMs with WaitTimeoutError', async () => {
    const j = job([{ status: 'running' }]);
    const error = await rejectionOf(
      waitFor(j.poll, { isDone, minDelayMs: 5, maxDelayMs: 10, maxWaitMs: 40 }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.waitedMs).toBeGreaterThanOrEqual(40);
    expect(j.polls()).toBeGreaterThan(1);
  });

  it('grows delays exponentially from minDelayMs to maxDelayMs, with jitter in [d/2, d]', () => {
    expect([0, 1, 2, 3, 10].map((n) => pollDelay(n, 500, 2000, false))).toEqual([
      500, 1000, 2000, 2000, 2000,
    ]);
    expect(pollDelay(1, 500, 2000, true, () => 0)).toBe(500);
    expect(pollDelay(1, 500, 2000, true, () => 0.5)).toBe(750);
    expect(pollDelay(5, 500, 2000, true, () => 0.999_999)).toBeCloseTo(2000, 2);
  });

  it('rejects at once with the abort reason while sleeping', async () => {
    const j = job([{ status: 'running' }]);
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = waitFor(
      async (signal) => {
        const value = await j.poll(signal);
        queueMicrotask(() => controller.abort(reason));
        return value;
      },
      { isDone, minDelayMs: 60_000, signal: controller.signal },
    );
    await expect(pending).rejects.toBe(reason);
    expect(j.polls()).toBe(1);
  });
});
