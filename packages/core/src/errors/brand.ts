/**
 * The brand every {@link RedivisError} carries. `Symbol.for` makes it the same symbol in every copy of this
 * package loaded into one realm, so the guard works when a bundle ends up with two versions.
 */
export const ERROR_BRAND: unique symbol = Symbol.for('@redivis-ts/core.RedivisError');
