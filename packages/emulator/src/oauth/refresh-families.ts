import type { EmulatorContext } from '../context.js';
import type { Queryable } from '../store/db.js';
import type { RefreshTokenRow } from './store.js';

// Refresh-token families for opt-in rotation (`oauth.rotateRefreshTokens`, RFC 9700 §4.14.2): every token a grant
// produces, refresh tokens and access tokens alike, carries the grant's family id. Rotation exchanges a refresh
// token once; a second presentation means two parties hold it, so the whole family is revoked.

type Ctx = Pick<EmulatorContext, 'db'>;

/** The family of a refresh token (tokens from before families existed are their own). */
export function familyOf(row: Pick<RefreshTokenRow, 'family_id' | 'token_hash'>): string {
  return row.family_id ?? row.token_hash;
}

/** A refresh token in any state (revoked, rotated or usable): reuse detection needs the used ones. */
export function findAnyRefreshToken(ctx: Ctx, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return ctx.db.one<RefreshTokenRow>('SELECT * FROM oauth_refresh_tokens WHERE token_hash = ?', [tokenHash]);
}

/** Marks a usable refresh token as rotated away; false when a concurrent request used (or revoked) it first. */
export async function markRotated(ctx: Ctx, tokenHash: string, now: number): Promise<boolean> {
  const changed = await ctx.db.run(
    `UPDATE oauth_refresh_tokens SET rotated_at = ?
     WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL`,
    [now, tokenHash],
  );
  return changed > 0;
}

/** Revokes every refresh token of `family` and lists the family, so its access tokens stop working too. */
export async function revokeFamily(ctx: Ctx, family: string, now: number): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx.run(
      `UPDATE oauth_refresh_tokens SET revoked_at = ?
       WHERE coalesce(family_id, token_hash) = ? AND revoked_at IS NULL`,
      [now, family],
    );
    if (!(await familyRevoked(tx, family)))
      await tx.run('INSERT INTO oauth_revoked_families VALUES (?, ?)', [family, now]);
  });
}

/** Whether `family` was revoked (an access token carrying it is refused). */
export async function familyRevoked(db: Queryable, family: string): Promise<boolean> {
  return (
    (await db.one('SELECT 1 AS x FROM oauth_revoked_families WHERE family_id = ?', [family])) !== undefined
  );
}
