/**
 * The version of `@redivis-ts/core`, sent as `X-Redivis-Client-Version`. Kept in sync with package.json by a test
 * (a JSON import would not survive every bundler).
 */
export const VERSION = '0.0.0';

/** The client name sent as `X-Redivis-Client`. */
export const CLIENT_NAME = 'redivis-ts';
