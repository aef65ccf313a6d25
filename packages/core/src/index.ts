/** Placeholder until the package lands. */
export const packageName = '@redivis-ts/core';
