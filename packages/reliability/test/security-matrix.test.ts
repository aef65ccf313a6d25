import {
  ForbiddenError,
  InsufficientScopeError,
  NotFoundError,
  type RedivisError,
  UnauthorizedError,
} from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import type { Redivis } from '@redivis-ts/resources';
import { createClient } from 'redivis-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../emulator/src/auth/tokens.js';

/**
 * Scope × endpoint × access level, through the SDK: every combination of user, token scopes, dataset and operation
 * either succeeds or fails with the typed error the emulator's documented rules predict (README: "401 / 403 / 404").
 * The expectation is computed here from those rules, independently of the emulator's code.
 */

type Level = 'none' | 'overview' | 'metadata' | 'data' | 'edit';
const RANK: Record<Level, number> = { none: 0, overview: 1, metadata: 2, data: 3, edit: 4 };
/** Scopes that reach a level (README: insufficient_scope lists them). */
const REACHES: Record<Exclude<Level, 'none'>, string[]> = {
  overview: ['data.overview', 'data.metadata', 'data.data', 'data.edit'],
  metadata: ['data.metadata', 'data.data', 'data.edit'],
  data: ['data.data', 'data.edit'],
  edit: ['data.edit'],
};

/** The demo seed's datasets: their public level and each user's level (README: Demo seed). */
const DATASETS = [
  {
    ref: 'demo.iris_species',
    table: 'iris',
    public: 'data',
    users: { demo_admin: 'edit', alice: 'data', bob: 'data' },
  },
  {
    ref: 'demo.weather_sample',
    table: 'stations',
    public: 'overview',
    users: { demo_admin: 'edit', alice: 'data', bob: 'metadata' },
  },
  {
    ref: 'demo.restricted_survey',
    table: 'responses',
    public: 'none',
    users: { demo_admin: 'edit', alice: 'data', bob: 'metadata' },
  },
] as const;

/**
 * `needs` lists the levels of the requests the SDK method sends, in order: the data readers read the variables
 * (metadata) before the rows (data), so their first refusal may be the metadata request's.
 */
type Op = {
  name: string;
  needs: Exclude<Level, 'none'>[];
  write?: boolean;
  run: (r: Redivis, d: (typeof DATASETS)[number]) => Promise<unknown>;
};
const OPS: Op[] = [
  { name: 'dataset.get', needs: ['overview'], run: (r, d) => r.dataset(d.ref).get() },
  { name: 'table.get', needs: ['overview'], run: (r, d) => r.table(`${d.ref}.${d.table}`).get() },
  {
    name: 'table.listVariables',
    needs: ['metadata'],
    run: (r, d) => r.table(`${d.ref}.${d.table}`).listVariables(),
  },
  {
    name: 'table.listRows',
    needs: ['metadata', 'data'],
    run: (r, d) => r.table(`${d.ref}.${d.table}`).listRows({ maxResults: 2 }),
  },
  {
    name: 'table.toArrowTable',
    needs: ['metadata', 'data'],
    run: (r, d) => r.table(`${d.ref}.${d.table}`).toArrowTable({ maxResults: 2 }),
  },
  {
    name: 'dataset.update',
    needs: ['edit'],
    write: true,
    run: (r, d) => r.dataset(d.ref).update({ description: 'set by the security matrix' }),
  },
];

const SCOPE_SETS: string[][] = [[], ['data.overview'], ['data.metadata'], ['data.data'], ['data.edit']];
const USERS = ['demo_admin', 'alice', 'bob'] as const;

type Expected =
  | 'ok'
  | typeof NotFoundError
  | typeof UnauthorizedError
  | typeof ForbiddenError
  | typeof InsufficientScopeError;

/**
 * The documented decision for one request: public enough → ok; writes need credentials first; invisible → 404;
 * level too low → 401 anonymous / 403; scopes short of the level → 403 insufficient_scope.
 */
function decide(
  user: (typeof USERS)[number] | null,
  scopes: string[],
  d: (typeof DATASETS)[number],
  need: Exclude<Level, 'none'>,
  write: boolean,
): Expected {
  const publicRank = RANK[d.public];
  const userLevel: Level = user ? d.users[user] : 'none';
  const level = Math.max(publicRank, RANK[userLevel]);
  if (!write && publicRank >= RANK[need]) return 'ok';
  if (write && !user) return UnauthorizedError;
  if (level < RANK.overview) return NotFoundError;
  if (RANK[userLevel] < RANK[need]) return user ? ForbiddenError : UnauthorizedError;
  if (!scopes.some((s) => REACHES[need].includes(s))) return InsufficientScopeError;
  return 'ok';
}

/** An SDK method's outcome: the first of its requests that is refused, else ok. */
function expected(
  user: (typeof USERS)[number] | null,
  scopes: string[],
  d: (typeof DATASETS)[number],
  op: Op,
): Expected {
  for (const need of op.needs) {
    const outcome = decide(user, scopes, d, need, op.write === true);
    if (outcome !== 'ok') return outcome;
  }
  return 'ok';
}

let emu: RunningEmulator;
const clients: { user: (typeof USERS)[number] | null; scopes: string[]; redivis: Redivis }[] = [];

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 20, rateLimit: false });
  const make = (apiToken?: string) =>
    createClient({ baseUrl: emu.url, retry: false, ...(apiToken ? { apiToken } : {}) });
  clients.push({ user: null, scopes: [], redivis: make() });
  for (const user of USERS) {
    for (const scopes of SCOPE_SETS) {
      const token = await createApiToken(emu.ctx, {
        userName: user,
        name: `matrix ${scopes.join(' ')}`,
        scopes,
      });
      clients.push({ user, scopes, redivis: make(token.value) });
    }
  }
}, 120_000);
afterAll(() => emu?.stop());

describe('scope × endpoint × access level through the SDK', () => {
  it('every combination succeeds or fails with the typed error the documented rules predict', async () => {
    const wrong: string[] = [];
    let combinations = 0;
    for (const c of clients) {
      for (const d of DATASETS) {
        for (const op of OPS) {
          combinations++;
          const want = expected(c.user, c.scopes, d, op);
          const got = await op.run(c.redivis, d).then(
            () => 'ok' as const,
            (e: RedivisError) => e,
          );
          const what = `${c.user ?? 'anonymous'} [${c.scopes.join(' ') || 'public'}] ${op.name} ${d.ref}`;
          if (want === 'ok') {
            if (got !== 'ok') wrong.push(`${what}: want ok, got ${got.name} ${got.message}`);
          } else if (
            got === 'ok' ||
            !(got instanceof want) ||
            (want === ForbiddenError && got instanceof InsufficientScopeError)
          ) {
            wrong.push(
              `${what}: want ${want.name}, got ${got === 'ok' ? 'ok' : `${got.name} ${got.message}`}`,
            );
          }
        }
      }
    }
    expect(combinations).toBe(clients.length * DATASETS.length * OPS.length);
    expect(wrong).toEqual([]);
  }, 300_000);

  it('without a token only public data is readable', async () => {
    const anonymous = clients[0]?.redivis as Redivis;
    const rows = await anonymous.table('demo.iris_species.iris').listRows({ maxResults: 3 });
    expect(rows).toHaveLength(3);
    await expect(
      anonymous.table('demo.weather_sample.stations').listRows({ maxResults: 1 }),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(anonymous.dataset('demo.restricted_survey').get()).rejects.toBeInstanceOf(NotFoundError);
    await expect(anonymous.query('SELECT 1 AS x').listRows()).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
