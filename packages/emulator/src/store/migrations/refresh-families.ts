// Version 6: refresh-token families for opt-in rotation (`oauth.rotateRefreshTokens`). Frozen once landed.

/**
 * Every refresh token belongs to the family of the grant that issued it (`family_id`; rows from before this version
 * are each their own family). Rotation marks a used token `rotated_at`; a family revoked for reuse is listed in
 * `oauth_revoked_families`, which access tokens carrying its id (JWT `fam`) are checked against.
 */
export const REFRESH_TOKEN_FAMILIES = `
  ALTER TABLE oauth_refresh_tokens ADD COLUMN family_id VARCHAR;
  ALTER TABLE oauth_refresh_tokens ADD COLUMN rotated_at BIGINT;
  CREATE TABLE IF NOT EXISTS oauth_revoked_families (family_id VARCHAR NOT NULL, revoked_at BIGINT NOT NULL);`;
