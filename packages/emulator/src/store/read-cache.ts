import type { Row, SqlValue } from './db.js';
import { MIGRATIONS } from './migrations/index.js';

/** Most results kept; the least recently used go first. */
const MAX_ENTRIES = 4_000;
/** Larger results are never kept: the cache is for lookups, not listings of thousands. */
const MAX_ROWS = 500;

/**
 * The emulator's own tables (the `main` schema), from the schema history. A write changes only the tables it names
 * (DuckDB has no triggers, cascades or updatable views), so these names are what a statement is checked against.
 */
function metadataTables(): Set<string> {
  const names = new Set(['meta_migrations']);
  for (const m of MIGRATIONS) {
    for (const match of m.sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)/gi)) {
      names.add((match[1] as string).toLowerCase());
    }
  }
  return names;
}

interface Entry {
  rows: Row[];
  tables: readonly string[];
  /** The write counts of `tables` (and the epoch, last) when the rows were read. */
  stamp: readonly number[];
}

function copyRows(rows: readonly Row[]): Row[] {
  return rows.map((row) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row))
      out[k] = typeof v === 'object' && v !== null ? structuredClone(v) : v;
    return out;
  });
}

const paramKey = (v: SqlValue) => (v === null ? 'n' : `${typeof v}:${String(v)}`);

/**
 * Results of metadata SELECTs, kept until a table they read is written. Every write counts, per metadata table it
 * names, one more write of that table (a write naming none, such as DDL on data tables, counts against every table);
 * a result is served only while the counts of the tables its statement names are those seen before it was read.
 * Names are found as words of the SQL text: a word that merely looks like a table name only makes the result
 * expire sooner. Statements naming no metadata table are never kept.
 *
 * Other connections see a write from the moment DuckDB commits it, which is before the write's promise settles in
 * JS: a read on a reader connection can see the commit and reach its caller first. So the counts are bumped twice:
 * when the write is issued ({@link ReadCache.begin}: from then on no result read before it is served, and nothing
 * read meanwhile is kept) and once it has settled ({@link ReadCache.end}: a read that began in between cannot be
 * kept under the new counts).
 */
export class ReadCache {
  readonly #known = metadataTables();
  readonly #writes = new Map<string, number>();
  /** Counted for writes naming no metadata table: every entry depends on it. */
  #epoch = 0;
  /** Writes issued and not yet settled, per metadata table; `#epochBusy` for those naming none. */
  readonly #busy = new Map<string, number>();
  #epochBusy = 0;
  readonly #entries = new Map<string, Entry>();
  readonly #namesOf = new Map<string, readonly string[]>();

  /** The metadata tables a statement names (memoized per statement text, a small fixed set). */
  tablesIn(sql: string): readonly string[] {
    let names = this.#namesOf.get(sql);
    if (!names) {
      const found = new Set<string>();
      for (const [word] of sql.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
        const lower = word.toLowerCase();
        if (this.#known.has(lower)) found.add(lower);
      }
      names = [...found];
      if (this.#namesOf.size >= MAX_ENTRIES) this.#namesOf.clear();
      this.#namesOf.set(sql, names);
    }
    return names;
  }

  /** The current write counts of `tables`, then the epoch. */
  stamp(tables: readonly string[]): number[] {
    return [...tables.map((t) => this.#writes.get(t) ?? 0), this.#epoch];
  }

  /** A copy of the kept result, or undefined when there is none or a table it read was written since. */
  get(sql: string, params: readonly SqlValue[] | undefined): Row[] | undefined {
    const key = this.#key(sql, params);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (!sameStamp(entry.stamp, this.stamp(entry.tables))) return undefined;
    this.#entries.set(key, entry);
    return copyRows(entry.rows);
  }

  /** Keeps `rows` when no table they were read from was written since `stamp` was taken (before the read). */
  set(
    sql: string,
    params: readonly SqlValue[] | undefined,
    stamp: readonly number[],
    rows: readonly Row[],
  ): void {
    const tables = this.tablesIn(sql);
    if (rows.length > MAX_ROWS || this.#writing(tables) || !sameStamp(stamp, this.stamp(tables))) return;
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    this.#entries.set(this.#key(sql, params), { rows: copyRows(rows), tables, stamp });
  }

  /** A write is about to be issued: what was read before it stops being served until {@link ReadCache.end}. */
  begin(sql: string): void {
    this.#count(sql, 1);
  }

  /** The write `begin` announced has settled (committed, or failed: it may have changed something). */
  end(sql: string): void {
    this.#count(sql, -1);
  }

  /** Records a write that no other connection could see before it settled (a rolled-back transaction's). */
  wrote(sql: string): void {
    this.#count(sql, 0);
  }

  #count(sql: string, busy: 1 | 0 | -1): void {
    const tables = this.tablesIn(sql);
    if (tables.length === 0) {
      this.#epoch++;
      this.#epochBusy += busy;
    }
    for (const t of tables) {
      this.#writes.set(t, (this.#writes.get(t) ?? 0) + 1);
      const n = (this.#busy.get(t) ?? 0) + busy;
      if (n === 0) this.#busy.delete(t);
      else this.#busy.set(t, n);
    }
  }

  /** True while a write of one of `tables` (or one naming no metadata table) is issued and not settled. */
  #writing(tables: readonly string[]): boolean {
    return this.#epochBusy > 0 || tables.some((t) => this.#busy.has(t));
  }

  #key(sql: string, params: readonly SqlValue[] | undefined): string {
    return `${sql}\u0000${(params ?? []).map(paramKey).join('\u0000')}`;
  }
}

function sameStamp(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
