import type { Db } from '../store/db.js';
import { markCompleted, markFailed, markRunning, queryOutputRelation } from '../store/queries.js';
import { materializeQuery, QueryExecutionError } from './execute.js';
import type { TranslatedSql } from './translate.js';

/** At most this many queries run at once per user; the rest wait with status `queued` (spec §2.6). */
export const MAX_CONCURRENT_QUERIES_PER_USER = 5;

const STOPPED_MESSAGE = 'The emulator stopped before the query finished; run it again.';

/**
 * Runs query jobs in the background: `queued` until one of the user's five slots frees, `running` on its own DuckDB
 * connection, then `completed` with a stored output or `failed` with the SQL problem. The request that created a job
 * waits for it through {@link QueryRunner.wait} for at most its `timeoutMs`.
 */
export class QueryRunner {
  readonly #jobs = new Map<string, Promise<void>>();
  readonly #running = new Map<string, number>();
  readonly #waiting = new Map<string, Array<() => void>>();
  #stopped = false;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Starts a queued job. */
  submit(queryId: string, userId: string, translated: TranslatedSql): void {
    const job = this.#run(queryId, userId, translated).finally(() => this.#jobs.delete(queryId));
    this.#jobs.set(queryId, job);
  }

  /** Resolves when the job ends or after `timeoutMs`, whichever comes first. */
  async wait(queryId: string, timeoutMs: number): Promise<void> {
    const job = this.#jobs.get(queryId);
    if (!job || timeoutMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([job, timeout]);
    clearTimeout(timer);
  }

  /**
   * Waits for every running job (called on stop, after the database interrupted their statements, before it closes;
   * new jobs are refused).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of [...this.#waiting.values()].flat()) wake();
    await Promise.allSettled([...this.#jobs.values()]);
  }

  async #run(queryId: string, userId: string, translated: TranslatedSql): Promise<void> {
    await this.#acquire(userId);
    try {
      if (this.#stopped) throw new QueryExecutionError(STOPPED_MESSAGE);
      await markRunning(this.db, queryId, this.now());
      const conn = await this.db.openStreamConnection();
      const relation = queryOutputRelation(queryId);
      try {
        const output = await materializeQuery(conn, translated, relation);
        await markCompleted(this.db, queryId, this.now(), output);
      } catch (error) {
        await conn.run(`DROP TABLE IF EXISTS ${relation}`).catch(() => undefined);
        throw error;
      } finally {
        this.db.releaseStreamConnection(conn);
      }
    } catch (error) {
      // A stop interrupts running statements: report that rather than DuckDB's INTERRUPT error.
      const message = this.db.closing
        ? STOPPED_MESSAGE
        : error instanceof QueryExecutionError
          ? error.message
          : `Query failed: ${String(error)}`;
      await markFailed(this.db, queryId, this.now(), message).catch(() => undefined);
    } finally {
      this.#release(userId);
    }
  }

  async #acquire(userId: string): Promise<void> {
    while (!this.#stopped && (this.#running.get(userId) ?? 0) >= MAX_CONCURRENT_QUERIES_PER_USER) {
      await new Promise<void>((resolve) => {
        const queue = this.#waiting.get(userId) ?? [];
        queue.push(resolve);
        this.#waiting.set(userId, queue);
      });
    }
    this.#running.set(userId, (this.#running.get(userId) ?? 0) + 1);
  }

  #release(userId: string): void {
    this.#running.set(userId, (this.#running.get(userId) ?? 1) - 1);
    this.#waiting.get(userId)?.shift()?.();
  }
}
