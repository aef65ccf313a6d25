/**
 * The version of `@redivis-ts/core`, sent as `X-Redivis-Client-Version`. A literal because a JSON import would not
 * survive every bundler; `pnpm version-packages` rewrites it from package.json (`scripts/sync-version.mjs`) and a
 * test checks that the two agree.
 */
export const VERSION = '0.0.0';

/** The client name sent as `X-Redivis-Client`. */
export const CLIENT_NAME = 'redivis-ts';
