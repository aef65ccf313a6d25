import type { EmulatorContext } from '../context.js';

// OAuth state lives in the emulator's DuckDB database next to D's tables (created by the migration list,
// store/migrations), so a restart on the same data dir keeps registered applications, refresh tokens and sign-in
// sessions. Secrets (codes, device codes, refresh tokens, session ids, client secrets) are stored only as SHA-256
// hashes, like API tokens. Times are epoch milliseconds.

/** A registered OAuth application. */
export interface OAuthAppRow {
  client_id: string;
  name: string;
  /** SHA-256 hex of the client secret; null for public clients (PKCE only, like the official libraries). */
  secret_hash: string | null;
  /** JSON array of exact redirect URIs (the `oob` URIs are always allowed). */
  redirect_uris: string;
  /** Whether the application may obtain refresh tokens (`access_type=offline`). */
  allow_offline: boolean;
  created_at: number;
}

/** An authorization code (authorization-code grant). */
export interface CodeRow {
  code_hash: string;
  client_id: string | null;
  user_id: string;
  scopes: string;
  redirect_uri: string;
  code_challenge: string;
  offline: boolean;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** Lifecycle of a device authorization. */
export type DeviceStatus = 'pending' | 'approved' | 'denied' | 'consumed';

/** A device authorization (device-code grant). */
export interface DeviceRow {
  device_code_hash: string;
  user_code: string;
  client_id: string | null;
  scopes: string;
  code_challenge: string | null;
  offline: boolean;
  status: DeviceStatus;
  user_id: string | null;
  interval_sec: number;
  last_polled_at: number | null;
  created_at: number;
  expires_at: number;
}

/** A refresh token issued to a registered application. */
export interface RefreshTokenRow {
  token_hash: string;
  client_id: string;
  user_id: string;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
  /** The grant the token descends from (null for tokens issued before families existed). */
  family_id: string | null;
  /** When rotation exchanged it for a new token; presenting it again revokes the family. */
  rotated_at: number | null;
}

/** A browser sign-in session on the emulator's pages. */
export interface SessionRow {
  session_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

type Ctx = Pick<EmulatorContext, 'db'>;

/** Looks up a registered application. */
export function findApp(ctx: Ctx, clientId: string): Promise<OAuthAppRow | undefined> {
  return ctx.db.one<OAuthAppRow>('SELECT * FROM oauth_apps WHERE client_id = ?', [clientId]);
}

/** Every registered application, oldest first. */
export function listApps(ctx: Ctx): Promise<OAuthAppRow[]> {
  return ctx.db.all<OAuthAppRow>('SELECT * FROM oauth_apps ORDER BY created_at, client_id');
}

/** Stores a registered application (the caller checked that the client id is free). */
export async function insertApp(ctx: Ctx, row: OAuthAppRow): Promise<void> {
  await ctx.db.run('INSERT INTO oauth_apps VALUES (?, ?, ?, ?, ?, ?)', [
    row.client_id,
    row.name,
    row.secret_hash,
    row.redirect_uris,
    row.allow_offline,
    row.created_at,
  ]);
}

/** Stores a new authorization code. */
export async function insertCode(ctx: Ctx, row: Omit<CodeRow, 'used_at'>): Promise<void> {
  await ctx.db.run('INSERT INTO oauth_codes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)', [
    row.code_hash,
    row.client_id,
    row.user_id,
    row.scopes,
    row.redirect_uri,
    row.code_challenge,
    row.offline,
    row.created_at,
    row.expires_at,
  ]);
}

/**
 * Marks a code used and returns it as it was before, atomically: of two concurrent exchanges only one sees
 * `used_at === null`. Returns undefined for unknown codes.
 */
export function consumeCode(
  ctx: EmulatorContext,
  codeHash: string,
  now: number,
): Promise<CodeRow | undefined> {
  return ctx.db.transaction(async (tx) => {
    const row = await tx.one<CodeRow>('SELECT * FROM oauth_codes WHERE code_hash = ?', [codeHash]);
    if (row && row.used_at === null) {
      await tx.run('UPDATE oauth_codes SET used_at = ? WHERE code_hash = ?', [now, codeHash]);
    }
    return row;
  });
}

/** Stores a new device authorization. */
export async function insertDevice(ctx: Ctx, row: DeviceRow): Promise<void> {
  await ctx.db.run('INSERT INTO oauth_device_codes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    row.device_code_hash,
    row.user_code,
    row.client_id,
    row.scopes,
    row.code_challenge,
    row.offline,
    row.status,
    row.user_id,
    row.interval_sec,
    row.last_polled_at,
    row.created_at,
    row.expires_at,
  ]);
}

/** Finds a device authorization by its (normalized) user code. */
export function findDeviceByUserCode(ctx: Ctx, userCode: string): Promise<DeviceRow | undefined> {
  return ctx.db.one<DeviceRow>(
    'SELECT * FROM oauth_device_codes WHERE user_code = ? ORDER BY created_at DESC',
    [userCode],
  );
}

/** Records the user's decision on a still-pending device authorization; false when it was no longer pending. */
export async function decideDevice(
  ctx: Ctx,
  deviceCodeHash: string,
  decision: { status: 'approved' | 'denied'; userId: string },
): Promise<boolean> {
  const changed = await ctx.db.run(
    `UPDATE oauth_device_codes SET status = ?, user_id = ? WHERE device_code_hash = ? AND status = 'pending'`,
    [decision.status, decision.userId, deviceCodeHash],
  );
  return changed > 0;
}

/**
 * Runs `fn` on a device authorization inside a transaction (a poll reads the row, then records the poll time,
 * a new interval or consumption); `fn` gets the row and an update function.
 */
export function withDevice<T>(
  ctx: EmulatorContext,
  deviceCodeHash: string,
  fn: (row: DeviceRow | undefined, update: (set: Partial<DeviceRow>) => Promise<void>) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    const row = await tx.one<DeviceRow>('SELECT * FROM oauth_device_codes WHERE device_code_hash = ?', [
      deviceCodeHash,
    ]);
    return fn(row, async (set) => {
      const keys = Object.keys(set) as (keyof DeviceRow)[];
      if (keys.length === 0) return;
      await tx.run(
        `UPDATE oauth_device_codes SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE device_code_hash = ?`,
        [...keys.map((k) => set[k] as string | number | boolean | null), deviceCodeHash],
      );
    });
  });
}

/** Stores a refresh token. */
export async function insertRefreshToken(
  ctx: Ctx,
  row: Omit<RefreshTokenRow, 'revoked_at' | 'rotated_at'>,
): Promise<void> {
  await ctx.db.run(
    `INSERT INTO oauth_refresh_tokens (token_hash, client_id, user_id, scopes, created_at, family_id)
     VALUES (?, ?, ?, ?, ?, ?)`,
    [row.token_hash, row.client_id, row.user_id, row.scopes, row.created_at, row.family_id],
  );
}

/** Finds a refresh token that is still usable: neither revoked nor rotated away. */
export function findRefreshToken(ctx: Ctx, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return ctx.db.one<RefreshTokenRow>(
    'SELECT * FROM oauth_refresh_tokens WHERE token_hash = ? AND revoked_at IS NULL AND rotated_at IS NULL',
    [tokenHash],
  );
}

/** Revokes a refresh token; true when one was active. */
export async function revokeRefreshToken(ctx: Ctx, tokenHash: string, now: number): Promise<boolean> {
  const changed = await ctx.db.run(
    'UPDATE oauth_refresh_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL',
    [now, tokenHash],
  );
  return changed > 0;
}

/** Stores a browser session. */
export async function insertSession(ctx: Ctx, row: SessionRow): Promise<void> {
  await ctx.db.run('INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?)', [
    row.session_hash,
    row.user_id,
    row.csrf_token,
    row.created_at,
    row.expires_at,
  ]);
}

/** Finds an unexpired browser session. */
export function findSession(ctx: Ctx, sessionHash: string, now: number): Promise<SessionRow | undefined> {
  return ctx.db.one<SessionRow>('SELECT * FROM web_sessions WHERE session_hash = ? AND expires_at > ?', [
    sessionHash,
    now,
  ]);
}

/** Ends a browser session. */
export async function deleteSession(ctx: Ctx, sessionHash: string): Promise<void> {
  await ctx.db.run('DELETE FROM web_sessions WHERE session_hash = ?', [sessionHash]);
}
