import { readFile, rm } from 'node:fs/promises';
import type { StoredCredentials, TokenStore } from '@redivis-ts/core';
import { writeFileAtomic } from './atomic-write.js';
import { configFile } from './config-dir.js';

/** Options of {@link fileTokenStore}. */
export interface FileTokenStoreOptions {
  /** The credentials file. @defaultValue `<configDir()>/credentials.json` */
  path?: string;
  /** Environment for {@link configDir} (`REDIVIS_CONFIG_DIR`). @defaultValue `process.env` */
  env?: Record<string, string | undefined>;
}

function parse(text: string): StoredCredentials | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const c = value as Record<string, unknown>;
  if (typeof c.accessToken !== 'string' || c.accessToken === '') return undefined;
  const out: StoredCredentials = { accessToken: c.accessToken };
  if (typeof c.refreshToken === 'string') out.refreshToken = c.refreshToken;
  if (typeof c.expiresAt === 'number' && Number.isFinite(c.expiresAt)) out.expiresAt = c.expiresAt;
  if (Array.isArray(c.scope) && c.scope.every((s) => typeof s === 'string')) out.scope = c.scope;
  return out;
}

/**
 * A {@link TokenStore} in a JSON file that only its owner can read (mode 0600, folder 0700), written atomically
 * (temporary file, fsync, rename) so a crash never leaves a truncated credentials file. A missing, unreadable or
 * malformed file reads as "no credentials"; the OAuth providers then run their flow again.
 *
 * @example
 * ```ts
 * const redivis = createClient({
 *   tokenProvider: deviceLogin({ oauthOrigin: 'https://redivis.com', store: fileTokenStore() }),
 * });
 * ```
 *
 * @param options - Where the file lives.
 */
export function fileTokenStore(options: FileTokenStoreOptions = {}): TokenStore {
  const path = options.path ?? configFile('credentials.json', options.env);
  return {
    async get() {
      const text = await readFile(path, 'utf8').catch(() => undefined);
      return text === undefined ? undefined : parse(text);
    },
    async set(credentials) {
      const { accessToken, refreshToken, expiresAt, scope } = credentials;
      await writeFileAtomic(path, `${JSON.stringify({ accessToken, refreshToken, expiresAt, scope })}\n`);
    },
    async clear() {
      await rm(path, { force: true });
    },
  };
}
