import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../store/identifiers.js';

/** Schema of a sandbox holding the copies of immutable input tables kept between jobs (see {@link InputCache}). */
export const CACHE_SCHEMA = 'cache';

/**
 * Most bytes (the tables' own `numBytes` estimate) of input copies one sandbox keeps between jobs. Larger inputs are
 * copied for their job only, as before; the least recently used copies are dropped to make room.
 */
export const INPUT_CACHE_BYTES = 256 * 1024 * 1024;

interface Entry {
  table: string;
  bytes: number;
  lastUsed: number;
}

/**
 * The copies of input tables a sandbox keeps after a job, so that the next query on the same rows skips copying
 * them (the copy was most of a small aggregate's round trip). Only tables whose rows cannot change are kept (the
 * caller supplies a key only for tables of a released dataset version, and the key includes the storage name and
 * row count), and only for one user: when another user's job takes the sandbox, every copy is dropped first, so a
 * sandbox never holds rows its current user was not authorized to read for an earlier query of theirs. Copies live
 * in schema `cache`, which the parse-tree check refuses (user SQL reaches only `input.<name of this job's inputs>`);
 * a job sees a kept copy through a view in `input`, dropped with the rest of the job's schemas on reset.
 */
export class InputCache {
  readonly #entries = new Map<string, Entry>();
  #owner: string | undefined;
  #bytes = 0;
  #counter = 0;
  #clock = 0;

  constructor(readonly budget = INPUT_CACHE_BYTES) {}

  /** The user whose copies the cache holds (undefined when empty and unclaimed). */
  get owner(): string | undefined {
    return this.#owner;
  }

  /** Makes `userId` the owner, dropping every copy first when they belong to someone else. */
  async claim(conn: DuckDBConnection, userId: string): Promise<void> {
    if (this.#owner === userId) return;
    if (this.#entries.size > 0) {
      this.#entries.clear();
      this.#bytes = 0;
      await conn.run(`DROP SCHEMA ${CACHE_SCHEMA} CASCADE; CREATE SCHEMA ${CACHE_SCHEMA}`);
    }
    this.#owner = userId;
  }

  /** The relation of a kept copy, marking it used. */
  lookup(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    entry.lastUsed = ++this.#clock;
    return `${CACHE_SCHEMA}.${quoteIdent(entry.table)}`;
  }

  /**
   * Room for a copy of `bytes`: evicts least recently used copies not in `keep` (the job's other inputs)
   * and returns the table name to copy into, or undefined when the copy cannot be kept within the budget.
   */
  async reserve(
    conn: DuckDBConnection,
    bytes: number,
    keep: ReadonlySet<string>,
  ): Promise<string | undefined> {
    if (bytes > this.budget) return undefined;
    const victims = [...this.#entries.entries()]
      .filter(([k]) => !keep.has(k))
      .sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    while (this.#bytes + bytes > this.budget) {
      const victim = victims.shift();
      if (!victim) return undefined;
      await conn.run(`DROP TABLE IF EXISTS ${CACHE_SCHEMA}.${quoteIdent(victim[1].table)}`);
      this.#entries.delete(victim[0]);
      this.#bytes -= victim[1].bytes;
    }
    return `copy_${++this.#counter}`;
  }

  /** Records a copy made into the table {@link reserve} named. */
  add(key: string, table: string, bytes: number): void {
    this.#entries.set(key, { table, bytes, lastUsed: ++this.#clock });
    this.#bytes += bytes;
  }
}
