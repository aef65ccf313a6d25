import type { TokenProvider } from './types.js';

/**
 * A provider that always returns the same API token (created in Redivis workspace settings). The client never
 * re-authenticates a static token: a 401 surfaces as an error.
 *
 * @throws TypeError when `token` is empty.
 */
export function staticToken(token: string): TokenProvider {
  if (typeof token !== 'string' || token.trim() === '') {
    throw new TypeError('staticToken needs a non-empty API token.');
  }
  return { kind: 'static', getToken: async () => token };
}

function processEnv(): Record<string, string | undefined> | undefined {
  // Guarded so browsers and workers without `process` simply have no environment token.
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env;
}

/**
 * A provider that reads `REDIVIS_API_TOKEN` from the environment on every call (so a token set later is picked
 * up). Where no environment exists (browsers) or the variable is unset or empty, requests go out anonymously.
 *
 * @param env - The environment to read; defaults to `process.env` where it exists.
 */
export function environmentToken(env?: Record<string, string | undefined>): TokenProvider {
  return {
    kind: 'environment',
    getToken: async () => {
      const token = (env ?? processEnv())?.REDIVIS_API_TOKEN?.trim();
      return token ? token : undefined;
    },
  };
}

/**
 * A provider that sends no `Authorization` header: only publicly visible content is readable and nothing can be
 * edited.
 */
export function anonymous(): TokenProvider {
  return { kind: 'anonymous', getToken: async () => undefined };
}
