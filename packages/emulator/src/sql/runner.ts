import type { DuckDBConnection } from '@duckdb/node-api';
import type { Db } from '../store/db.js';
import {
  getQuery,
  insertQuery,
  markCancelled,
  markCompleted,
  markFailed,
  markRunning,
  QUERY_SCHEMA,
  type QueryRow,
  queryOutputRelation,
  queryOutputTable,
} from '../store/queries.js';
import { type QueryInput, QueryExecutionError, runQueryInSandbox } from './execute.js';
import type { Sandbox, SandboxPool } from './sandbox.js';
import { Slots } from './slots.js';
import { SqlTranslationError, type TranslatedSql } from './translate.js';

/** At most this many queries run at once per user; the rest wait with status `queued` (spec §2.6). */
export const MAX_CONCURRENT_QUERIES_PER_USER = 5;

/** Limits on every query job (options `queryTimeLimitMs` and `queryOutputLimitBytes` of `startEmulator`). */
export interface QueryLimits {
  /** Running time after which a query is interrupted and fails. */
  timeLimitMs: number;
  /** Largest output, in BigQuery bytes (the `outputNumBytes` measure), a query may produce. */
  outputLimitBytes: number;
}

/** A query job as submitted: its row (status `queued`), the translated SQL and the tables (already authorized) it reads. */
export interface QueryJobSpec {
  row: QueryRow;
  translated: TranslatedSql;
  inputs: readonly QueryInput[];
}

/** How many rows written in a final state the runner keeps for the requests that follow (see {@link QueryRunner.ended}). */
const ENDED_KEPT = 64;
const FINAL_STATUSES: ReadonlySet<QueryRow['status']> = new Set(['completed', 'failed', 'cancelled']);

const STOPPED_MESSAGE = 'The emulator stopped before the query finished; run it again.';
const CANCELLED_MESSAGE = 'Query was cancelled';

interface JobState {
  spec: QueryJobSpec;
  /** The job's row as it stands; written to the database by {@link QueryRunner.persist}. */
  row: QueryRow;
  /** The INSERT of the row, once it was started: later transitions are UPDATEs queued behind it. */
  persisted?: Promise<void>;
  /** Settles when the job ended, sandbox released. */
  done: Promise<void>;
  /** Settles as soon as the job's outcome is recorded, before its sandbox is emptied for the next job. */
  recorded: Promise<void>;
  markRecorded: () => void;
  abort: AbortController;
  why?: 'cancelled' | 'timedOut' | 'stopped';
  sandbox?: Sandbox;
  mainConns: Set<DuckDBConnection>;
}

/**
 * Runs query jobs in the background with the documented lifecycle: `queued` until one of the user's five slots and
 * a sandbox are free, `running` in the sandbox (sandbox.ts), then `completed` with an output copied to the
 * emulator's database, `failed` with the SQL problem or a limit's message, or `cancelled`. The time limit and
 * cancellation interrupt DuckDB in the middle of a statement.
 *
 * A job's row is written once it can be observed: nobody knows the query's id before the POST answers, so a job
 * that ends while the POST waits is written once, in its final state (one INSERT instead of an INSERT and two
 * UPDATEs, each a commit). When the POST stops waiting first, the row is written as it stands and every later
 * transition updates it; the write queue keeps those in call order.
 */
export class QueryRunner {
  readonly #jobs = new Map<string, JobState>();
  readonly #userSlots = new Map<string, Slots>();
  readonly #ended = new Map<string, QueryRow>();
  #stopped = false;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly limits: QueryLimits,
    private readonly pool: SandboxPool,
  ) {}

  /** Starts a queued job. */
  submit(spec: QueryJobSpec): void {
    let markRecorded = () => {};
    const recorded = new Promise<void>((resolve) => {
      markRecorded = resolve;
    });
    const state: JobState = {
      spec,
      row: { ...spec.row },
      done: Promise.resolve(),
      recorded,
      markRecorded,
      abort: new AbortController(),
      mainConns: new Set(),
    };
    this.#jobs.set(spec.row.id, state);
    state.done = this.#run(state).finally(() => {
      state.markRecorded();
      this.#jobs.delete(spec.row.id);
    });
  }

  /**
   * Waits until the job's outcome is recorded or `timeoutMs` passed, writes its row if the job has not (the caller
   * is about to hand out the id), and returns the row as it stands.
   */
  async settle(queryId: string, timeoutMs: number): Promise<QueryRow> {
    const job = this.#jobs.get(queryId);
    if (!job) throw new Error(`Query ${queryId} was not submitted`);
    await this.wait(queryId, timeoutMs);
    await this.#persist(job);
    return { ...job.row };
  }

  /** Resolves when the job's outcome is recorded or after `timeoutMs`, whichever comes first. */
  async wait(queryId: string, timeoutMs: number): Promise<void> {
    const job = this.#jobs.get(queryId);
    if (!job || timeoutMs <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([job.recorded, timeout]);
    clearTimeout(timer);
  }

  /**
   * Cancels a queued or running job and waits (up to `timeoutMs`) until it ended; a job that already ended is left
   * as it is. Resolves either way: the caller reads the status that resulted.
   */
  async cancel(queryId: string, timeoutMs = 5_000): Promise<void> {
    const job = this.#jobs.get(queryId);
    if (!job) return;
    this.#interrupt(job, 'cancelled');
    await this.wait(queryId, timeoutMs);
  }

  /** Interrupts every job (each ends `failed` with the stop message) and waits for them; new jobs are refused. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const job of this.#jobs.values()) this.#interrupt(job, 'stopped');
    await Promise.allSettled([...this.#jobs.values()].map((job) => job.done));
  }

  /**
   * DuckDB forgets an interrupt that arrives between two statements (each statement starts uninterrupted), so the
   * interrupt is repeated until the job has ended; the job also checks the signal between its steps.
   */
  #interrupt(job: JobState, why: NonNullable<JobState['why']>): void {
    if (job.why) return;
    job.why = why;
    job.abort.abort(new Error(why));
    const hit = () => {
      job.sandbox?.interrupt();
      for (const conn of job.mainConns) conn.interrupt();
    };
    hit();
    const repeat = setInterval(hit, 50);
    job.done.finally(() => clearInterval(repeat));
  }

  /**
   * The row of a query whose row was written in a final state (its job ended before the POST answered), among the
   * last few: no statement changes a row once it has left `queued` and `running`, so this is the stored row, and
   * the GET requests that follow a POST (the query, its rows) need no lookup.
   */
  ended(queryId: string): QueryRow | undefined {
    const row = this.#ended.get(queryId);
    return row && { ...row };
  }

  /** Writes the job's row as it stands, once; later transitions update it. */
  #persist(job: JobState): Promise<void> {
    if (!job.persisted) {
      const row = { ...job.row };
      job.persisted = insertQuery(this.db, row).then(() => {
        if (!FINAL_STATUSES.has(row.status)) return;
        this.#ended.set(row.id, row);
        if (this.#ended.size > ENDED_KEPT) this.#ended.delete(this.#ended.keys().next().value as string);
      });
    }
    return job.persisted;
  }

  /**
   * Moves the job's row to a new state: in memory until the row is written, else with `update` (queued behind the
   * INSERT on the write connection). Resolves to `update`'s answer: false when the row was not in the state the
   * transition leaves.
   */
  async #transition(
    job: JobState,
    change: Partial<QueryRow>,
    update: () => Promise<boolean | undefined>,
  ): Promise<boolean> {
    Object.assign(job.row, change);
    if (job.persisted) return (await update()) !== false;
    // A job that ended writes its row even when no one has seen the id yet; `running` stays in memory until then.
    if (job.row.status !== 'running') await this.#persist(job);
    return true;
  }

  async #run(job: JobState): Promise<void> {
    const queryId = job.row.id;
    const userId = job.row.user_id;
    const signal = job.abort.signal;
    let userSlots = this.#userSlots.get(userId);
    if (!userSlots) {
      userSlots = new Slots(MAX_CONCURRENT_QUERIES_PER_USER);
      this.#userSlots.set(userId, userSlots);
    }
    let holdsUserSlot = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      if (this.#stopped) job.why = 'stopped';
      signal.throwIfAborted();
      await userSlots.acquire(signal);
      holdsUserSlot = true;
      job.sandbox = await this.pool.acquire(signal, userId);
      signal.throwIfAborted();
      // Not awaited: when the row is already written, the UPDATE commits while the sandbox works.
      const startedAt = this.now();
      const running = this.#transition(job, { status: 'running', started_at: startedAt }, () =>
        markRunning(this.db, queryId, startedAt),
      );
      running.catch(() => undefined);
      timer = setTimeout(() => this.#interrupt(job, 'timedOut'), this.limits.timeLimitMs);
      const output = await runQueryInSandbox(
        {
          sandbox: job.sandbox,
          openMain: async () => {
            const conn = await this.db.openStreamConnection();
            job.mainConns.add(conn);
            return conn;
          },
          releaseMain: (conn) => {
            job.mainConns.delete(conn);
            this.db.releaseStreamConnection(conn);
          },
          inputs: job.spec.inputs,
          userId,
          signal,
          output: { schema: QUERY_SCHEMA, table: queryOutputTable(queryId) },
          outputLimitBytes: this.limits.outputLimitBytes,
        },
        job.spec.translated,
      );
      clearTimeout(timer);
      // Only a cancel moves a written row out of `queued`, and a cancel also aborts the job.
      if (!(await running)) throw new Error('The query left the queue before it ran');
      if (job.why) throw new Error(job.why);
      const at = this.now();
      const completed = await this.#transition(
        job,
        {
          status: 'completed',
          completed_at: at,
          output_schema: JSON.stringify(output.schema),
          output_num_rows: output.numRows,
          output_num_bytes: output.numBytes,
        },
        () => markCompleted(this.db, queryId, at, output),
      );
      if (!completed) {
        // The written row had left `running` (only a restart's cleanup does that): it stands, without output.
        await this.#dropOutput(queryId);
        job.row = (await getQuery(this.db, queryId)) ?? job.row;
      }
    } catch (error) {
      clearTimeout(timer);
      await this.#dropOutput(queryId);
      await this.#recordFailure(job, error).catch(() => undefined);
    } finally {
      // The caller waiting on the POST reads the recorded status now; emptying the sandbox is not its business.
      job.markRecorded();
      if (job.sandbox) await this.pool.release(job.sandbox);
      if (holdsUserSlot) userSlots.release();
    }
  }

  async #recordFailure(job: JobState, error: unknown): Promise<void> {
    const queryId = job.row.id;
    const at = this.now();
    if (job.row.status !== 'queued' && job.row.status !== 'running') return;
    if (job.why === 'cancelled') {
      await this.#transition(
        job,
        { status: 'cancelled', completed_at: at, error_message: CANCELLED_MESSAGE },
        () => markCancelled(this.db, queryId, at, CANCELLED_MESSAGE).then(() => true),
      );
      return;
    }
    // A stop interrupts running statements: report that rather than DuckDB's INTERRUPT error.
    const message =
      job.why === 'timedOut'
        ? `Query exceeded the emulator's time limit of ${this.limits.timeLimitMs} ms (queryTimeLimitMs) and was stopped`
        : job.why === 'stopped' || this.db.closing
          ? STOPPED_MESSAGE
          : error instanceof QueryExecutionError || error instanceof SqlTranslationError
            ? error.message
            : `Query failed: ${error instanceof Error ? error.message : String(error)}`;
    await this.#transition(job, { status: 'failed', completed_at: at, error_message: message }, () =>
      markFailed(this.db, queryId, at, message).then(() => true),
    );
  }

  async #dropOutput(queryId: string): Promise<void> {
    if (this.db.closing) return;
    await this.db.run(`DROP TABLE IF EXISTS ${queryOutputRelation(queryId)}`).catch(() => undefined);
  }
}
