import type { StoredCredentials, TokenStore } from './types.js';

/** A {@link TokenStore} that keeps credentials in memory for the life of the provider (the default). */
export function memoryTokenStore(initial?: StoredCredentials): TokenStore {
  let current = initial ? { ...initial } : undefined;
  return {
    async get() {
      return current ? { ...current } : undefined;
    },
    async set(c) {
      current = { ...c };
    },
    async clear() {
      current = undefined;
    },
  };
}

/** The sessionStorage key the official JavaScript client uses for its OAuth token. */
export const DEFAULT_SESSION_STORAGE_KEY = 'redivis_oauth_token';

function isStoredCredentials(v: unknown): v is StoredCredentials {
  if (v === null || typeof v !== 'object') return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c.accessToken === 'string' &&
    (c.refreshToken === undefined || typeof c.refreshToken === 'string') &&
    (c.expiresAt === undefined || typeof c.expiresAt === 'number') &&
    (c.scope === undefined || (Array.isArray(c.scope) && c.scope.every((s) => typeof s === 'string')))
  );
}

function sessionStorageOrThrow(): Storage {
  const storage = (globalThis as { sessionStorage?: Storage }).sessionStorage;
  if (!storage) {
    throw new TypeError(
      'sessionStorageTokenStore needs a browser: globalThis.sessionStorage is not available.',
    );
  }
  return storage;
}

/**
 * A {@link TokenStore} backed by the browser's `sessionStorage` (per tab, survives reloads, gone when the tab
 * closes). Values are JSON; an unreadable or malformed entry reads as "no credentials".
 *
 * @param key - Storage key. Defaults to `redivis_oauth_token`, the key the official JavaScript client uses.
 * @throws TypeError when called where `sessionStorage` does not exist (e.g. Node).
 */
export function sessionStorageTokenStore(key: string = DEFAULT_SESSION_STORAGE_KEY): TokenStore {
  const storage = sessionStorageOrThrow();
  return {
    async get() {
      const raw = storage.getItem(key);
      if (raw === null) return undefined;
      try {
        const parsed: unknown = JSON.parse(raw);
        return isStoredCredentials(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    async set(c) {
      storage.setItem(key, JSON.stringify(c));
    },
    async clear() {
      storage.removeItem(key);
    },
  };
}
