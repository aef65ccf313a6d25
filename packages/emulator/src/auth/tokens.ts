import { randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import { badRequest, notFound } from '../http/errors.js';
import { DEMO_TOKENS } from '../seed/users.js';
import { ALL_SCOPES } from './levels.js';
import type { UserRow } from '../store/rows.js';
import { hashToken } from './request.js';

/** The part of the context the token store needs (the bin uses it without a running server). */
export type TokenStoreContext = Pick<EmulatorContext, 'db' | 'now'>;

/** An API token as listed (never includes the value; only its SHA-256 hash is stored). */
export interface ApiTokenInfo {
  id: string;
  userId: string;
  userName: string;
  name: string;
  /** Scopes, always including `public`. */
  scopes: string[];
  createdAt: number;
  updatedAt: number;
  revokedAt: number | null;
}

interface TokenRow {
  id: string;
  user_id: string;
  user_name: string;
  name: string;
  scopes: string;
  created_at: number;
  updated_at: number;
  revoked_at: number | null;
}

const SELECT = `SELECT t.id, t.user_id, u.name AS user_name, t.name, t.scopes, t.created_at, t.updated_at,
  t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id`;

function toInfo(r: TokenRow): ApiTokenInfo {
  return {
    id: r.id,
    userId: r.user_id,
    userName: r.user_name,
    name: r.name,
    scopes: r.scopes.split(' ').filter(Boolean),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    revokedAt: r.revoked_at,
  };
}

/** Validates scopes; returns them deduplicated in canonical order with `public` first. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  for (const s of scopes) {
    if (!(ALL_SCOPES as readonly string[]).includes(s)) {
      throw badRequest(`Unknown scope "${s}". Valid scopes: ${ALL_SCOPES.join(', ')}`);
    }
  }
  return ALL_SCOPES.filter((s) => s === 'public' || scopes.includes(s));
}

function normalizeName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 256) throw badRequest('A token name must have 1 to 256 characters');
  return trimmed;
}

async function findUser(ctx: TokenStoreContext, userName: string): Promise<UserRow> {
  const user = await ctx.db.one<UserRow>('SELECT * FROM users WHERE lower(name) = lower(?)', [userName]);
  if (!user) throw notFound(`User "${userName}" not found`);
  return user;
}

/** Input of {@link createApiToken}. */
export interface CreateTokenInput {
  userName: string;
  name: string;
  scopes: readonly string[];
  /** A fixed value (the seed and `--token`); by default a random `rdv_…` value. */
  value?: string;
}

/** Creates a token. The returned `value` is the only time it is visible: the store keeps its hash. */
export async function createApiToken(
  ctx: TokenStoreContext,
  input: CreateTokenInput,
): Promise<{ token: ApiTokenInfo; value: string }> {
  const user = await findUser(ctx, input.userName);
  const name = normalizeName(input.name);
  const scopes = normalizeScopes(input.scopes);
  const value = input.value ?? `rdv_${randomBytes(32).toString('base64url')}`;
  const hash = hashToken(value);
  const existing = await ctx.db.one('SELECT id FROM api_tokens WHERE token_hash = ?', [hash]);
  if (existing) throw badRequest('A token with this value already exists');
  const id = randomUUID();
  const t = ctx.now();
  await ctx.db.run('INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)', [
    id,
    user.id,
    name,
    hash,
    scopes.join(' '),
    t,
    t,
  ]);
  return { token: await getApiToken(ctx, id), value };
}

/** One token by id (404 when unknown). */
export async function getApiToken(ctx: TokenStoreContext, id: string): Promise<ApiTokenInfo> {
  const row = await ctx.db.one<TokenRow>(`${SELECT} WHERE t.id = ?`, [id]);
  if (!row) throw notFound(`API token "${id}" not found`);
  return toInfo(row);
}

/** Tokens, newest first; of one user when `userName` is given; revoked ones only with `includeRevoked`. */
export async function listApiTokens(
  ctx: TokenStoreContext,
  filter: { userName?: string; includeRevoked?: boolean } = {},
): Promise<ApiTokenInfo[]> {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.userName !== undefined) {
    where.push('lower(u.name) = lower(?)');
    params.push(filter.userName);
  }
  if (!filter.includeRevoked) where.push('t.revoked_at IS NULL');
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY t.created_at DESC, t.id`;
  return (await ctx.db.all<TokenRow>(sql, params)).map(toInfo);
}

/** Renames a token and/or replaces its scopes. Revoked tokens cannot change (400). */
export async function updateApiToken(
  ctx: TokenStoreContext,
  id: string,
  patch: { name?: string; scopes?: readonly string[] },
): Promise<ApiTokenInfo> {
  const current = await getApiToken(ctx, id);
  if (current.revokedAt !== null) throw badRequest('A revoked token cannot be changed');
  const name = patch.name === undefined ? current.name : normalizeName(patch.name);
  const scopes = patch.scopes === undefined ? current.scopes : normalizeScopes(patch.scopes);
  await ctx.db.run('UPDATE api_tokens SET name = ?, scopes = ?, updated_at = ? WHERE id = ?', [
    name,
    scopes.join(' '),
    ctx.now(),
    id,
  ]);
  return getApiToken(ctx, id);
}

/** Revokes a token: the next request with it gets 401. Revoking twice is a no-op. */
export async function revokeApiToken(ctx: TokenStoreContext, id: string): Promise<ApiTokenInfo> {
  const current = await getApiToken(ctx, id);
  if (current.revokedAt === null) {
    const t = ctx.now();
    await ctx.db.run('UPDATE api_tokens SET revoked_at = ?, updated_at = ? WHERE id = ?', [t, t, id]);
  }
  return getApiToken(ctx, id);
}

/** Name given to the `--token` admin token. */
export const FIXED_TOKEN_NAME = 'fixed admin token';

/**
 * Registers `value` for `demo_admin` with every scope (creating the user when the database has none, e.g. with
 * `seed: 'none'`). Idempotent: a value already registered is left alone (and stays revoked if it was revoked).
 */
export async function ensureFixedAdminToken(ctx: TokenStoreContext, value: string): Promise<void> {
  const existing = await ctx.db.one('SELECT id FROM api_tokens WHERE token_hash = ?', [hashToken(value)]);
  if (existing) return;
  const user = await ctx.db.one<UserRow>("SELECT * FROM users WHERE name = 'demo_admin'");
  if (!user) {
    await ctx.db.run('INSERT INTO users VALUES (?, ?, ?, ?, NULL, ?)', [
      randomUUID(),
      'demo_admin',
      'Demo Admin',
      'demo_admin@example.com',
      ctx.now(),
    ]);
  }
  await createApiToken(ctx, { userName: 'demo_admin', name: FIXED_TOKEN_NAME, scopes: ALL_SCOPES, value });
}

/** Tokens whose value the emulator knows (the demo seed's and `options.token`) and that are still active. */
export async function listKnownTokens(
  ctx: Pick<EmulatorContext, 'db' | 'options'>,
): Promise<Array<{ userName: string; name: string; value: string; scopes: string[] }>> {
  const candidates = [...(ctx.options.token ? [ctx.options.token] : []), ...DEMO_TOKENS.map((t) => t.value)];
  const out: Array<{ userName: string; name: string; value: string; scopes: string[] }> = [];
  for (const value of new Set(candidates)) {
    const row = await ctx.db.one<TokenRow>(`${SELECT} WHERE t.token_hash = ? AND t.revoked_at IS NULL`, [
      hashToken(value),
    ]);
    if (row) out.push({ userName: row.user_name, name: row.name, value, scopes: toInfo(row).scopes });
  }
  return out;
}
