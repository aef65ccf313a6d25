import { randomBytes } from 'node:crypto';
import { partitionRows, type ReadRange, type ReadSqlColumn } from '../arrow/read-sql.js';

/** Read sessions expire 6 hours after creation (spec §2.6). */
export const READ_SESSION_TTL_MS = 6 * 60 * 60 * 1000;
/** The most streams one session gets, whatever `requestedStreamCount` asks for. */
export const MAX_STREAMS_PER_SESSION = 16;

/** What a read session reads: a stored relation with its columns (already narrowed to `selectedVariables`). */
export interface ReadSource {
  /** DuckDB relation (quoted) holding the rows. */
  relation: string;
  /** Columns in output order. */
  columns: ReadSqlColumn[];
  /** Rows in the relation when the session is created (the session reads this snapshot of insertion order). */
  totalRows: number;
  /** Whether anyone may read the rows (public data access), so streams need no credentials. */
  publicData: boolean;
  /** First rowid when the relation's rowids are dense: streams then read rowid ranges (see buildReadSql). */
  rowidBase?: number;
}

/** One stream of a session: a contiguous window of rows. */
export interface ReadStreamRecord {
  id: string;
  range: Required<ReadRange>;
}

/** A read session, held in memory only: sessions do not survive an emulator restart (clients create new ones). */
export interface ReadSessionRecord {
  id: string;
  /** Creator's user id; null for anonymous sessions (public data). */
  userId: string | null;
  allowAnonymousAccess: boolean;
  source: ReadSource;
  numRows: number;
  format: 'arrow';
  createdAt: number;
  expiresAt: number;
  streams: ReadStreamRecord[];
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}

/** In-memory registry of read sessions and their streams, sweeping expired ones as new ones arrive. */
export class ReadSessionStore {
  readonly #sessions = new Map<string, ReadSessionRecord>();
  readonly #streams = new Map<string, { session: ReadSessionRecord; stream: ReadStreamRecord }>();

  constructor(private readonly now: () => number) {}

  /** Creates a session over `source` limited to `maxResults` rows, split into up to `requestedStreamCount` streams. */
  create(input: {
    userId: string | null;
    allowAnonymousAccess: boolean;
    source: ReadSource;
    maxResults?: number;
    requestedStreamCount: number;
  }): ReadSessionRecord {
    this.#sweep();
    const numRows = Math.min(input.source.totalRows, input.maxResults ?? Number.POSITIVE_INFINITY);
    const count = Math.min(input.requestedStreamCount, MAX_STREAMS_PER_SESSION);
    const createdAt = this.now();
    const session: ReadSessionRecord = {
      id: newId(),
      userId: input.userId,
      allowAnonymousAccess: input.allowAnonymousAccess,
      source: input.source,
      numRows,
      format: 'arrow',
      createdAt,
      expiresAt: createdAt + READ_SESSION_TTL_MS,
      streams: partitionRows(numRows, count).map((range) => ({
        id: newId(),
        range: { offset: range.offset, limit: range.limit ?? 0 },
      })),
    };
    this.#sessions.set(session.id, session);
    for (const stream of session.streams) this.#streams.set(stream.id, { session, stream });
    return session;
  }

  /** A stream and its session; `expired` when the session is past its expiry (it is then forgotten). */
  getStream(id: string): { session: ReadSessionRecord; stream: ReadStreamRecord } | 'expired' | undefined {
    const found = this.#streams.get(id);
    if (!found) return undefined;
    return found.session.expiresAt <= this.now() ? 'expired' : found;
  }

  // Expired sessions are kept for a day so that a late read is told "expired" rather than "unknown".
  #sweep(): void {
    const horizon = this.now() - 24 * 60 * 60 * 1000;
    for (const session of this.#sessions.values()) {
      if (session.expiresAt > horizon) continue;
      this.#sessions.delete(session.id);
      for (const stream of session.streams) this.#streams.delete(stream.id);
    }
  }
}

const stores = new WeakMap<object, ReadSessionStore>();

/** The read-session registry of an emulator instance (shared by the readSessions and readStreams routes). */
export function readSessionsOf(ctx: { now(): number }): ReadSessionStore {
  let store = stores.get(ctx);
  if (!store) {
    store = new ReadSessionStore(() => ctx.now());
    stores.set(ctx, store);
  }
  return store;
}
