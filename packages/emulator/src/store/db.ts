import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBMaterializedResult,
  type DuckDBPreparedStatement,
  type DuckDBValue,
} from '@duckdb/node-api';
import { settlesWithin } from '../settle.js';
import { materializedRowObjects, materializedRows } from './materialized.js';
import { ReadCache } from './read-cache.js';

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | bigint | boolean | null;

/** One result row: column name → JS value (BIGINT/HUGEINT become `number` when they fit). */
export type Row = Record<string, unknown>;

/** The query surface shared by {@link Db} and a transaction handle. */
export interface Queryable {
  /** Every row of a query. */
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or `undefined`. */
  one<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; resolves to the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

// JS integers bind as 32-bit INTEGER by default; epoch milliseconds and row counts need 64 bits.
function bindable(v: SqlValue): DuckDBValue {
  if (typeof v === 'number' && Number.isInteger(v) && (v > 2_147_483_647 || v < -2_147_483_648))
    return BigInt(v);
  return v;
}

function toJs(v: unknown): unknown {
  if (typeof v === 'bigint') {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  }
  return v;
}

/** Runs one statement on the metadata connection and materializes its result. */
type Execute = (sql: string, params?: readonly SqlValue[]) => Promise<DuckDBMaterializedResult>;

/**
 * Prepared statements of the metadata connection, by SQL text. Metadata statements are a small fixed set run over
 * and over with different parameters; DuckDB parses, binds and plans a statement on every `run`, which costs more
 * than executing these small lookups, so each parameterized statement is prepared once and re-bound (DuckDB
 * re-plans a prepared statement by itself when the catalog changed). Bounded, least recently used first out.
 */
class StatementCache {
  readonly #prepared = new Map<string, DuckDBPreparedStatement>();

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly limit = 256,
  ) {}

  readonly execute: Execute = async (sql, params) => {
    if (!params?.length) return this.conn.run(sql);
    const values = params.map(bindable);
    let statement = this.#prepared.get(sql);
    if (statement) {
      this.#prepared.delete(sql);
    } else {
      try {
        statement = await this.conn.prepare(sql);
      } catch {
        // Not preparable as one statement (or invalid): the plain path runs it or reports DuckDB's error.
        return this.conn.run(sql, values);
      }
      if (this.#prepared.size >= this.limit) {
        const [oldest, evicted] = this.#prepared.entries().next().value as [string, DuckDBPreparedStatement];
        this.#prepared.delete(oldest);
        evicted.destroySync();
      }
    }
    this.#prepared.set(sql, statement);
    statement.bind(values);
    return statement.run();
  };
}

async function query<T>(execute: Execute, sql: string, params?: readonly SqlValue[]): Promise<T[]> {
  const rows = materializedRowObjects(await execute(sql, params)) as Row[];
  for (const row of rows) for (const k of Object.keys(row)) row[k] = toJs(row[k]) as never;
  return rows as T[];
}

async function exec(execute: Execute, sql: string, params?: readonly SqlValue[]): Promise<number> {
  const result = await execute(sql, params);
  return Number(result.rowsChanged);
}

function surface(execute: Execute): Queryable {
  return {
    all: <T>(sql: string, params?: readonly SqlValue[]) => query<T>(execute, sql, params),
    one: async <T>(sql: string, params?: readonly SqlValue[]) => (await query<T>(execute, sql, params))[0],
    run: (sql, params) => exec(execute, sql, params),
  };
}

/** Options of {@link Db.open}. */
export interface DbOptions {
  /**
   * Test seam: awaited after a write (a statement, or a transaction's COMMIT) finished in DuckDB and before its
   * promise settles, widening the window in which other connections already see it and the caller does not.
   */
  settling?: (sql: string) => Promise<void>;
}

/** How many connections serve plain metadata reads next to the writer connection. */
const READERS = 3;

/** A statement that only reads (runs on a reader connection, outside the write queue). */
const READ_ONLY = /^\s*(SELECT|WITH)\b/i;

/** A connection with its own statement cache and queue (a DuckDB connection runs one statement at a time). */
class Lane {
  #queue: Promise<unknown> = Promise.resolve();
  #pending = 0;
  readonly execute: Execute;

  constructor(readonly conn: DuckDBConnection) {
    this.execute = new StatementCache(conn).execute;
  }

  /** Statements queued or running on this lane. */
  get pending(): number {
    return this.#pending;
  }

  serial<T>(fn: () => Promise<T>): Promise<T> {
    this.#pending++;
    const next = this.#queue.then(fn, fn).finally(() => {
      this.#pending--;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}

/**
 * The emulator's DuckDB database. Writes and transactions go through one connection and are serialized by a
 * promise queue (a DuckDB connection must not run two statements at once, and serializing writes also makes the
 * "check, then insert" uniqueness rules race-free). Plain reads (`all`/`one` of a SELECT outside a transaction) run
 * on a few reader connections of the same instance, so reads neither wait behind writes nor behind each other;
 * DuckDB's MVCC gives each read a snapshot of what was committed when it started, which includes every write whose
 * promise has resolved. Long reads (Arrow streams, queries) use their own connection from
 * {@link Db.openStreamConnection} so they never hold a queue.
 */
export class Db implements Queryable {
  #queue: Promise<unknown> = Promise.resolve();
  readonly #main: DuckDBConnection;
  readonly #execute: Execute;
  readonly #readers: Lane[];
  readonly #streams = new Set<DuckDBConnection>();
  readonly #releasing = new Set<Promise<void>>();
  readonly #cache = new ReadCache();
  readonly #settling: DbOptions['settling'];
  #closing = false;

  /**
   * {@link Db.all}/{@link Db.one} with results kept until a table the statement names is written (read-cache.ts):
   * for the metadata lookups every request repeats (token, owner, dataset, level, versions, tables, variables).
   * Only for SELECTs over the emulator's own tables whose result depends on nothing else (no clock, no data tables).
   */
  readonly cached: Queryable = {
    all: <T>(sql: string, params?: readonly SqlValue[]) => this.#cachedAll<T>(sql, params),
    one: async <T>(sql: string, params?: readonly SqlValue[]) => (await this.#cachedAll<T>(sql, params))[0],
    run: (sql, params) => this.run(sql, params),
  };

  private constructor(
    /** The DuckDB instance, for modules that need more than this wrapper offers. */
    readonly instance: DuckDBInstance,
    main: DuckDBConnection,
    readers: DuckDBConnection[],
    /** The database file path (`:memory:` never happens: the emulator always has a data dir). */
    readonly path: string,
    options: DbOptions,
  ) {
    this.#settling = options.settling;
    this.#main = main;
    this.#execute = new StatementCache(main).execute;
    this.#readers = readers.map((conn) => new Lane(conn));
  }

  /** Opens (or creates) the database file. */
  static async open(path: string, options: DbOptions = {}): Promise<Db> {
    const instance = await DuckDBInstance.create(path);
    const main = await instance.connect();
    const readers = await Promise.all(Array.from({ length: READERS }, () => instance.connect()));
    return new Db(instance, main, readers, path, options);
  }

  /** The reader lane with the fewest statements waiting. */
  #reader(): Lane {
    let best = this.#readers[0] as Lane;
    for (const lane of this.#readers) if (lane.pending < best.pending) best = lane;
    return best;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    if (READ_ONLY.test(sql) && !this.#closing) {
      const lane = this.#reader();
      return lane.serial(() => query<T>(lane.execute, sql, params));
    }
    return this.#serial(() => this.#write(sql, () => query<T>(this.#execute, sql, params)));
  }

  /**
   * Every row of a small read-only statement as arrays of JS values, on a reader connection: one round trip into
   * DuckDB, for reads whose columns need not have unique names. Large reads stream on their own connection instead
   * ({@link Db.openStreamConnection}): a reader is shared by every metadata lookup.
   */
  rows(sql: string): Promise<unknown[][]> {
    if (!READ_ONLY.test(sql)) return Promise.reject(new Error('Db.rows runs only a SELECT'));
    if (this.#closing) return Promise.reject(new Error('The emulator is stopping'));
    const lane = this.#reader();
    return lane.serial(async () => materializedRows(await lane.execute(sql)));
  }

  async #cachedAll<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    if (!READ_ONLY.test(sql) || this.#cache.tablesIn(sql).length === 0) return this.all<T>(sql, params);
    const kept = this.#cache.get(sql, params);
    if (kept) return kept as T[];
    const stamp = this.#cache.stamp(this.#cache.tablesIn(sql));
    const rows = await this.all<T>(sql, params);
    this.#cache.set(sql, params, stamp, rows as Row[]);
    return rows;
  }

  /** Runs a write, counted against the tables it names from its start until it settled, committed or not. */
  async #write<T>(sql: string, fn: () => Promise<T>): Promise<T> {
    this.#cache.begin(sql);
    try {
      const result = await fn();
      await this.#settling?.(sql);
      return result;
    } finally {
      this.#cache.end(sql);
    }
  }

  async one<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#serial(() => this.#write(sql, () => exec(this.#execute, sql, params)));
  }

  /**
   * Runs `fn` inside BEGIN/COMMIT on the serialized connection; any throw rolls back and rethrows. Inside `fn`
   * use only `tx` (calling `db.all` there would wait for the transaction itself: deadlock).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      // Other connections see the statements from the COMMIT on: they count as writes from then until it settled
      // (read-cache.ts), or once, after a rollback.
      const statements: string[] = [];
      let committing = false;
      const tx = surface((sql, params) => {
        statements.push(sql);
        return this.#execute(sql, params);
      });
      await exec(this.#execute, 'BEGIN TRANSACTION');
      try {
        const result = await fn(tx);
        for (const sql of statements) this.#cache.begin(sql);
        committing = true;
        await exec(this.#execute, 'COMMIT');
        await this.#settling?.('COMMIT');
        return result;
      } catch (e) {
        await exec(this.#execute, 'ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        for (const sql of statements) {
          if (committing) this.#cache.end(sql);
          else this.#cache.wrote(sql);
        }
      }
    });
  }

  /**
   * A fresh connection for a long read (streaming a table, running a query). The caller must pass it to
   * {@link Db.releaseStreamConnection} when done; connections still open at stop are interrupted and closed then.
   */
  async openStreamConnection(): Promise<DuckDBConnection> {
    if (this.#closing) throw new Error('The emulator is stopping');
    const conn = await this.instance.connect();
    this.#streams.add(conn);
    return conn;
  }

  /**
   * Ends whatever the connection still runs or streams, then closes it. Resolves once DuckDB has let go of the
   * connection's transaction (never rejects), so callers may fire and forget.
   */
  releaseStreamConnection(conn: DuckDBConnection): Promise<void> {
    if (!this.#streams.delete(conn)) return Promise.resolve();
    const released = endAndClose(conn).finally(() => this.#releasing.delete(released));
    this.#releasing.add(released);
    return released;
  }

  /** True once {@link Db.interruptStreams} or {@link Db.close} began: work failing now failed because of the stop. */
  get closing(): boolean {
    return this.#closing;
  }

  /**
   * Interrupts every statement running on a stream connection (queries, exports, transforms) so that work waiting
   * on them finishes promptly, and refuses new stream connections. Called first on stop.
   */
  interruptStreams(): void {
    this.#closing = true;
    for (const conn of this.#streams) conn.interrupt();
  }

  /**
   * Ends and closes every stream connection (bounded by `timeoutMs`), checkpoints, closes the main connection and
   * the instance. The CHECKPOINT runs only once no other transaction can be open, since DuckDB's CHECKPOINT waits
   * for every running transaction.
   */
  async close(timeoutMs = 5_000): Promise<void> {
    this.interruptStreams();
    const open = [...this.#streams].map((conn) => this.releaseStreamConnection(conn));
    const ended = await settlesWithin(Promise.all([...open, ...this.#releasing]), timeoutMs);
    await Promise.all(this.#readers.map((lane) => lane.serial(async () => undefined)));
    await this.#serial(async () => {
      for (const lane of this.#readers) lane.conn.closeSync();
      if (ended) await exec(this.#execute, 'CHECKPOINT').catch(() => undefined);
      this.#main.closeSync();
      this.instance.closeSync();
    });
  }
}

/**
 * Closing a DuckDB connection does not end a streaming result read from it: the result keeps the connection's
 * client context alive, with its transaction open, until the JS object is garbage collected, and a CHECKPOINT
 * waits for that transaction forever. Starting any statement on the connection ends the previous result (DuckDB
 * allows one active result per connection), so a trivial one is run before closing.
 */
async function endAndClose(conn: DuckDBConnection): Promise<void> {
  try {
    await conn.run('SELECT 1');
  } catch {
    // The connection failed or was interrupted: closing it below is all that is left to do.
  }
  try {
    conn.closeSync();
  } catch {
    // Already closed.
  }
}
