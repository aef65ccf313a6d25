// The endpoint table of the scope matrix (spec §3.1, §5): for every route the emulator serves under /api/v1,
// who can call it, which scopes grant it, what an anonymous caller gets, and how to build a request against a
// fresh resource (so each test stands alone and refused mutations can be shown to change nothing).
import type { AuthzFixture, TestUser } from './authz-helpers.js';
import { seg } from './authz-helpers.js';

/** Scopes reaching each level (spec §3.1): the `scope` field of an insufficient_scope refusal. */
export const OVERVIEW = ['data.overview', 'data.metadata', 'data.data', 'data.edit'];
export const METADATA = ['data.metadata', 'data.data', 'data.edit'];
export const DATA = ['data.data', 'data.edit'];
export const EDIT = ['data.edit'];
export const ORG_READ = ['organization.read'];
export const ORG_WRITE = ['organization.write'];
export const WORKFLOW_WRITE = ['workflow.write'];

/** Every scope group a case needs. */
export const groupsOf = (c: EndpointCase): string[][] => [c.anyOf, ...(c.alsoNeeds ?? [])];
/** The smallest token that passes: the first scope of every group. */
export const minimalScopes = (c: EndpointCase): string[] => groupsOf(c).map((g) => g[0] as string);

/** A concrete request built for one test. */
export interface Prepared {
  path: string;
  /** For lists: the name of the private entry {@link EndpointCase.reveals} looks for. */
  privateName?: string;
  body?: unknown;
  /** For mutations: reads the resource back (with a full admin token) to show a refusal changed nothing. */
  readBack?: () => Promise<unknown>;
}

/** One endpoint of the matrix. */
export interface EndpointCase {
  /** Operation name (spec §1), e.g. `queries.get`. */
  op: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The Hono route it exercises, relative to /api/v1 (for the coverage check). */
  route: string;
  /** The user whose token succeeds. */
  user: TestUser;
  /**
   * Any one of these scopes grants the call; a token without all of them gets 403 insufficient_scope. Empty for
   * endpoints open to every token (public information, the caller's own profile).
   */
  anyOf: string[];
  /** Further scope groups the call needs as well (each: any one of its scopes), e.g. workflow writes. */
  alsoNeeds?: string[][];
  /**
   * Without a token: 401 (private reads, writes), 404 (the resource is invisible to anonymous callers) or `ok`
   * (public information; for lists: only the public entries).
   */
  anonymous: 401 | 404 | 'ok';
  /**
   * Lists filter instead of refusing: whether the reply shows the private entry that only a token holding one of
   * `anyOf` may see.
   */
  reveals?: (body: unknown, p: Prepared) => boolean;
  prepare(f: AuthzFixture): Promise<Prepared>;
}

/**
 * GETs alice makes with a data scope (anonymous: 401) under a resource built per test by `base`: one case per
 * `[op, route, suffix]`, requesting `base + suffix`.
 */
export function dataReads(
  rows: ReadonlyArray<readonly [op: string, route: string, suffix: string]>,
  base: (f: AuthzFixture) => Promise<string>,
): EndpointCase[] {
  return rows.map(([op, route, suffix]) => ({
    op,
    method: 'GET',
    route,
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async (f) => ({ path: `${await base(f)}${suffix}` }),
  }));
}

/** {@link EndpointCase.reveals} for lists of named entries: whether the reply's `results` name the private one. */
export const revealsPrivateName = (body: unknown, p: Prepared): boolean =>
  ((body as { results: Array<{ name: string }> }).results ?? [])
    .map((d) => d.name)
    .includes(p.privateName as string);

const WEATHER_OBS = 'demo.weather_sample.daily_observations';
const OBS_SQL = `SELECT element, count(*) AS n FROM ${WEATHER_OBS} GROUP BY element ORDER BY element`;

/** A completed query of `user` over the weather observations. */
export async function completedQuery(f: AuthzFixture, user: TestUser): Promise<string> {
  const q = await f.ok<{ id: string; status: string }>({
    method: 'POST',
    path: '/queries',
    body: { query: OBS_SQL },
    token: await f.full(user),
  });
  if (q.status !== 'completed') throw new Error(`setup query ended ${q.status}`);
  return q.id;
}

/** A read session of `user` on the weather observations; returns its first stream id. */
export async function streamOf(f: AuthzFixture, user: TestUser): Promise<string> {
  const s = await f.ok<{ streams: Array<{ id: string }> }>({
    method: 'POST',
    path: `/tables/${seg(WEATHER_OBS)}/readSessions`,
    body: { requestedStreamCount: 1 },
    token: await f.full(user),
  });
  return s.streams[0]?.id as string;
}

/** Number of stored queries (queries.post refusals must not add one). */
const queryCount = (f: AuthzFixture, marker: string) =>
  f.emu.ctx.db.one<{ n: number }>('SELECT count(*) AS n FROM queries WHERE contains(query, ?)', [marker]);

/** Queries, read sessions and read streams (spec §5.6, §5.7). */
export const QUERY_CASES: EndpointCase[] = [
  {
    op: 'queries.post',
    method: 'POST',
    route: '/queries',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async (f) => {
      const marker = f.unique('marker');
      const query = `SELECT '${marker}' AS marker, count(*) AS n FROM ${WEATHER_OBS}`;
      return { path: '/queries', body: { query }, readBack: () => queryCount(f, marker) };
    },
  },
  ...dataReads(
    [
      ['queries.get', '/queries/:queryId', ''],
      ['queries.variables.list', '/queries/:queryId/variables', '/variables'],
      ['queries.variables.get', '/queries/:queryId/variables/:name', '/variables/N'],
      ['queries.listRows', '/queries/:queryId/rows', '/rows'],
    ],
    async (f) => `/queries/${await completedQuery(f, 'alice')}`,
  ),
  {
    op: 'queries.cancel',
    method: 'POST',
    route: '/queries/:queryId/cancel',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async (f) => {
      const id = await completedQuery(f, 'alice');
      const readBack = () => f.emu.ctx.db.one('SELECT status FROM queries WHERE id = ?', [id]);
      return { path: `/queries/${id}/cancel`, body: {}, readBack };
    },
  },
  {
    op: 'readSessions.post (query)',
    method: 'POST',
    route: '/queries/:queryId/readSessions',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async (f) => ({ path: `/queries/${await completedQuery(f, 'alice')}/readSessions`, body: {} }),
  },
  {
    op: 'readSessions.post (table)',
    method: 'POST',
    route: '/tables/:tableRef/readSessions',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async () => ({ path: `/tables/${seg(WEATHER_OBS)}/readSessions`, body: {} }),
  },
  {
    op: 'readSessions.getStream',
    method: 'GET',
    route: '/readStreams/:streamId',
    user: 'alice',
    anyOf: DATA,
    anonymous: 401,
    prepare: async (f) => ({ path: `/readStreams/${await streamOf(f, 'alice')}` }),
  },
];
