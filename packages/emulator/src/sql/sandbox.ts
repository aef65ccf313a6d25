import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { EmulatorContext } from '../context.js';
import { installCompatMacros } from './compat.js';
import { CACHE_SCHEMA, InputCache } from './input-cache.js';
import { Slots } from './slots.js';
import { INPUT_SCHEMA } from './tree-check.js';

/** Schema of the sandbox where a query's output is built before it is copied to the emulator's database. */
export const OUTPUT_SCHEMA = 'output';

/**
 * A DuckDB instance of its own, in memory, that runs one user query at a time. It holds nothing but the copies of
 * the tables that query may read (schema `input`), its output (schema `output`) and copies of released tables its
 * user read before (schema `cache`, see {@link InputCache}): the emulator's database is not attached, so its
 * metadata, tokens, other users' results and inaccessible datasets do not exist here. File and
 * network access are disabled (`enable_external_access=false`, no extension autoloading) and the configuration is
 * locked, so no statement can turn them back on.
 */
export class Sandbox {
  /** Set when a statement was interrupted: the pool closes the instance rather than reusing it. */
  spoiled = false;
  /** Copies of immutable input tables kept between one user's jobs. */
  readonly cache = new InputCache();

  private constructor(
    private readonly instance: DuckDBInstance,
    /** The connection every statement of the job runs on. */
    readonly conn: DuckDBConnection,
  ) {}

  static async create(): Promise<Sandbox> {
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // One thread each: up to four sandboxes share the machine with the server and the metadata connection.
      threads: '1',
    });
    const conn = await instance.connect();
    try {
      // Spilling would need a directory, which external access could then reach: the sandbox stays in memory.
      await conn.run(`SET temp_directory = ''; SET TimeZone = 'UTC'`);
      await installCompatMacros(conn);
      await conn.run(
        `CREATE SCHEMA ${INPUT_SCHEMA}; CREATE SCHEMA ${OUTPUT_SCHEMA}; CREATE SCHEMA ${CACHE_SCHEMA}`,
      );
      await conn.run('SET enable_external_access = false; SET lock_configuration = true');
    } catch (error) {
      conn.closeSync();
      instance.closeSync();
      throw error;
    }
    return new Sandbox(instance, conn);
  }

  /** Drops what the last job left, so the next job (maybe another user's) starts from empty schemas. */
  async reset(): Promise<void> {
    await this.conn.run(
      `DROP SCHEMA ${INPUT_SCHEMA} CASCADE; DROP SCHEMA ${OUTPUT_SCHEMA} CASCADE;
       CREATE SCHEMA ${INPUT_SCHEMA}; CREATE SCHEMA ${OUTPUT_SCHEMA}`,
    );
  }

  interrupt(): void {
    this.spoiled = true;
    this.conn.interrupt();
  }

  close(): void {
    try {
      this.conn.closeSync();
      this.instance.closeSync();
    } catch {
      // Already closed.
    }
  }
}

/**
 * At most `size` sandboxes exist; a job waits (its query stays `queued`) until one is free. Idle sandboxes are
 * reused after {@link Sandbox.reset}; one whose job was interrupted, or that failed to reset, is closed instead.
 */
export class SandboxPool {
  readonly #slots: Slots;
  readonly #idle: Sandbox[] = [];
  readonly #busy = new Set<Sandbox>();
  #closed = false;

  constructor(size: number) {
    this.#slots = new Slots(size);
  }

  /**
   * A free sandbox, waiting for one when all are busy; rejects when `signal` aborts or the pool closed. Prefers an
   * idle sandbox whose input cache belongs to `userId`, then one with an empty cache.
   */
  async acquire(signal?: AbortSignal, userId?: string): Promise<Sandbox> {
    await this.#slots.acquire(signal);
    try {
      if (this.#closed) throw new Error('The emulator is stopping');
      let index = this.#idle.findIndex((s) => s.cache.owner === userId);
      if (index < 0) index = this.#idle.findIndex((s) => s.cache.owner === undefined);
      const sandbox =
        (index >= 0 ? this.#idle.splice(index, 1)[0] : this.#idle.pop()) ?? (await Sandbox.create());
      this.#busy.add(sandbox);
      if (this.#closed) sandbox.interrupt();
      return sandbox;
    } catch (error) {
      this.#slots.release();
      throw error;
    }
  }

  /** Returns a sandbox after its job: emptied for reuse, or closed when it cannot be trusted to be empty. */
  async release(sandbox: Sandbox): Promise<void> {
    try {
      const reusable =
        !sandbox.spoiled &&
        !this.#closed &&
        (await sandbox.reset().then(
          () => true,
          () => false,
        ));
      if (reusable && !this.#closed) this.#idle.push(sandbox);
      else sandbox.close();
    } finally {
      this.#busy.delete(sandbox);
      this.#slots.release();
    }
  }

  /** Interrupts every running job and closes idle sandboxes; busy ones close when their job releases them. */
  close(): void {
    this.#closed = true;
    for (const sandbox of this.#busy) sandbox.interrupt();
    for (const sandbox of this.#idle.splice(0)) sandbox.close();
  }
}

/**
 * Sandboxes (DuckDB instances) running user SQL at once, queries and transforms together. Every DuckDB call of the
 * Node bindings occupies one of libuv's worker threads (4 by default) while it runs, so long queries must leave
 * threads free: with all four taken, even the metadata lookup of a cancel request would wait for them.
 */
export const MAX_SANDBOXES = 2;
const pools = new WeakMap<object, SandboxPool>();

/** The emulator's one sandbox pool, shared by queries and transform runs; closed on stop. */
export function sandboxPool(ctx: Pick<EmulatorContext, 'onStop'>): SandboxPool {
  let pool = pools.get(ctx);
  if (!pool) {
    const created = new SandboxPool(MAX_SANDBOXES);
    pools.set(ctx, created);
    ctx.onStop(() => created.close());
    pool = created;
  }
  return pool;
}
