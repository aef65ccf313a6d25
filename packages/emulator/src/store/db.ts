import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

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

async function query<T>(conn: DuckDBConnection, sql: string, params?: readonly SqlValue[]): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, params?.length ? params.map(bindable) : undefined);
  const rows = reader.getRowObjectsJS();
  for (const row of rows) for (const k of Object.keys(row)) row[k] = toJs(row[k]) as never;
  return rows as T[];
}

async function exec(conn: DuckDBConnection, sql: string, params?: readonly SqlValue[]): Promise<number> {
  const result = await conn.run(sql, params?.length ? params.map(bindable) : undefined);
  return Number(result.rowsChanged);
}

function surface(conn: () => DuckDBConnection): Queryable {
  return {
    all: <T>(sql: string, params?: readonly SqlValue[]) => query<T>(conn(), sql, params),
    one: async <T>(sql: string, params?: readonly SqlValue[]) => (await query<T>(conn(), sql, params))[0],
    run: (sql, params) => exec(conn(), sql, params),
  };
}

/**
 * The emulator's DuckDB database. Metadata statements go through one connection and are serialized by a promise
 * queue (a DuckDB connection must not run two statements at once, and serializing writes also makes the
 * "check, then insert" uniqueness rules race-free). Long reads (Arrow streams, queries) use their own
 * connection from {@link Db.openStreamConnection} so they never hold the queue.
 */
export class Db implements Queryable {
  #queue: Promise<unknown> = Promise.resolve();
  readonly #main: DuckDBConnection;
  readonly #streams = new Set<DuckDBConnection>();

  private constructor(
    /** The DuckDB instance, for modules that need more than this wrapper offers. */
    readonly instance: DuckDBInstance,
    main: DuckDBConnection,
    /** The database file path (`:memory:` never happens: the emulator always has a data dir). */
    readonly path: string,
  ) {
    this.#main = main;
  }

  /** Opens (or creates) the database file. */
  static async open(path: string): Promise<Db> {
    const instance = await DuckDBInstance.create(path);
    return new Db(instance, await instance.connect(), path);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#serial(() => query<T>(this.#main, sql, params));
  }

  async one<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.#serial(() => exec(this.#main, sql, params));
  }

  /**
   * Runs `fn` inside BEGIN/COMMIT on the serialized connection; any throw rolls back and rethrows. Inside `fn`
   * use only `tx` (calling `db.all` there would wait for the transaction itself: deadlock).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#serial(async () => {
      const tx = surface(() => this.#main);
      await exec(this.#main, 'BEGIN TRANSACTION');
      try {
        const result = await fn(tx);
        await exec(this.#main, 'COMMIT');
        return result;
      } catch (e) {
        await exec(this.#main, 'ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  /**
   * A fresh connection for a long read (streaming a table, running a query). The caller must pass it to
   * {@link Db.releaseStreamConnection} when done; connections still open at stop are closed then.
   */
  async openStreamConnection(): Promise<DuckDBConnection> {
    const conn = await this.instance.connect();
    this.#streams.add(conn);
    return conn;
  }

  /** Closes a connection from {@link Db.openStreamConnection}. */
  releaseStreamConnection(conn: DuckDBConnection): void {
    if (this.#streams.delete(conn)) conn.closeSync();
  }

  /** Checkpoints and closes everything; waits for queued statements first. */
  async close(): Promise<void> {
    await this.#serial(async () => {
      for (const conn of this.#streams) {
        conn.interrupt();
        conn.closeSync();
      }
      this.#streams.clear();
      // No explicit CHECKPOINT: it waits for every open transaction (a client that abandoned a streamed response
      // can leave one behind), while closing the instance checkpoints anyway and the WAL covers the rest.
      this.#main.closeSync();
      this.instance.closeSync();
    });
  }
}

/** Quotes an SQL identifier (`"a""b"`). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
