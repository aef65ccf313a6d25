import type { StoredCredentials, TokenProvider, TokenStore } from '@redivis-ts/core';
import { AuthError } from './errors.js';

/** The credentials file of `redivis auth login` (@redivis-ts/node's 0600 store; `REDIVIS_CONFIG_DIR` moves it). */
export async function loginStore(env: Record<string, string | undefined>): Promise<TokenStore> {
  const { fileTokenStore } = await import('@redivis-ts/node');
  return fileTokenStore({ env });
}

/**
 * A token provider over the stored login: it refreshes an expired access token with the stored refresh token, but
 * never starts a new sign-in in the middle of another command (that is `redivis auth login`'s job).
 */
export async function storedLoginProvider(
  store: TokenStore,
  credentials: StoredCredentials,
  oauthOrigin: string,
): Promise<TokenProvider> {
  const [{ deviceFlow }, { REDIVIS_DEVICE_CLIENT_ID, DEFAULT_LOGIN_SCOPES }] = await Promise.all([
    import('@redivis-ts/core'),
    import('@redivis-ts/node'),
  ]);
  return deviceFlow({
    oauthOrigin,
    clientId: REDIVIS_DEVICE_CLIENT_ID,
    scope: credentials.scope?.length ? credentials.scope : DEFAULT_LOGIN_SCOPES,
    store,
    onVerification: () => {
      throw new AuthError('Your stored login has expired or lacks a scope this needs');
    },
  });
}
