/**
 * What a caller may ask of a {@link TokenProvider} when it needs a token.
 *
 * The client sends an empty request before each call, and `{ forceRefresh: true, scope, amrValues }` once after a
 * 401 or a 403 `insufficient_scope` response.
 */
export interface TokenRequest {
  /** Ignore any cached access token and obtain a fresh one (refresh or re-run the flow). */
  forceRefresh?: boolean;
  /** Scopes the next request needs; a provider whose granted scopes lack one re-runs its flow asking for all. */
  scope?: string[];
  /** Authentication method references the server asked for (`amr_values`), e.g. after a 403 needing MFA. */
  amrValues?: string[];
  /** Aborts a running flow, refresh or poll; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Supplies bearer tokens to the client. Implementations must be safe to call concurrently. */
export interface TokenProvider {
  /**
   * Returns the bearer token to send, or `undefined` to send the request without an `Authorization` header.
   */
  getToken(req?: TokenRequest): Promise<string | undefined>;
  /**
   * What sort of provider this is. The client re-authenticates after a 401 (or a 403 `insufficient_scope`) only for
   * `oauth` providers: a forced refresh of a `static`, `environment` or `anonymous` provider would return the same
   * answer, so their 401 surfaces at once.
   */
  readonly kind: 'static' | 'environment' | 'oauth' | 'anonymous';
}

/** Credentials an OAuth provider keeps between calls (and, with a persistent store, between sessions). */
export interface StoredCredentials {
  /** The bearer access token. */
  accessToken: string;
  /** The refresh token, when the server issued one (`access_type: offline`). */
  refreshToken?: string;
  /** When the access token expires, in epoch SECONDS (as the Redivis token endpoint reports it). */
  expiresAt?: number;
  /** Scopes the access token was granted. */
  scope?: string[];
}

/** Where an OAuth provider keeps its {@link StoredCredentials}. */
export interface TokenStore {
  /** Returns the stored credentials, or `undefined` when none are stored (or they cannot be read). */
  get(): Promise<StoredCredentials | undefined>;
  /** Replaces the stored credentials. */
  set(c: StoredCredentials): Promise<void>;
  /** Removes the stored credentials. */
  clear(): Promise<void>;
}
