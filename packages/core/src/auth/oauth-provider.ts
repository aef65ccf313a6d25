// The caching, refresh and scope-upgrade logic shared by both OAuth flows. A flow only has to produce fresh
// credentials; this decides when to use, refresh or replace them, and makes concurrent callers share one attempt.
import { OAuthError } from './errors.js';
import { raceAbort, scopeList, throwIfAborted, unionScopes } from './internal.js';
import { memoryTokenStore } from './stores.js';
import { type OAuthEndpoint, refreshCredentials } from './token-endpoint.js';
import type { StoredCredentials, TokenProvider, TokenRequest, TokenStore } from './types.js';

/** What a flow is asked to obtain. */
export interface FlowRequest {
  /** All scopes the new token must carry. */
  scope: string[];
  /** Authentication methods the server asked for, if any. */
  amrValues?: string[];
  /** The credentials being upgraded (their token may be sent along so the server can merge grants). */
  previous?: StoredCredentials;
  signal?: AbortSignal;
}

/** The parts a concrete OAuth flow plugs into the shared provider logic. */
export interface OAuthProviderParts {
  store: TokenStore;
  /** Scopes every token must carry. */
  scope: readonly string[];
  /** Runs the interactive flow and returns fresh credentials. */
  runFlow(req: FlowRequest): Promise<StoredCredentials>;
  /** Exchanges a refresh token for fresh credentials. */
  refresh(
    creds: StoredCredentials & { refreshToken: string },
    signal?: AbortSignal,
  ): Promise<StoredCredentials>;
  /** Refresh this many seconds before `expiresAt`. */
  refreshSkewSeconds: number;
}

// Every token carries `public`, whether or not the JWT lists it.
const IMPLICIT_SCOPES = ['public'];

/** A refresh failure the server answered (4xx) means the grant is gone; network and 5xx failures do not. */
function refreshWasRejected(error: unknown): boolean {
  return error instanceof OAuthError && (error.status === undefined || error.status < 500);
}

interface InFlight {
  promise: Promise<string>;
  signal?: AbortSignal;
  amrValues?: string[];
}

function sameValues(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return (a ?? []).length === (b ?? []).length && (a ?? []).every((v) => (b ?? []).includes(v));
}

/** Builds a {@link TokenProvider} of kind `oauth` from a flow and a refresh function. */
export function createOAuthProvider(parts: OAuthProviderParts): TokenProvider {
  let inflight: InFlight | undefined;

  async function renew(
    creds: StoredCredentials | undefined,
    req: TokenRequest,
    upgrade: boolean,
  ): Promise<string> {
    const { store, signal } = { store: parts.store, signal: req.signal };
    if (creds?.refreshToken && !upgrade) {
      try {
        const next = await parts.refresh({ ...creds, refreshToken: creds.refreshToken }, signal);
        await store.set(next);
        return next.accessToken;
      } catch (error) {
        if (signal?.aborted || !refreshWasRejected(error)) throw error;
        await store.clear();
        creds = undefined;
      }
    }
    const scope = unionScopes(parts.scope, req.scope, upgrade ? creds?.scope : undefined);
    const next = await parts.runFlow({
      scope,
      amrValues: req.amrValues,
      previous: upgrade ? creds : undefined,
      signal,
    });
    await store.set(next);
    return next.accessToken;
  }

  return {
    kind: 'oauth',
    async getToken(request: TokenRequest = {}): Promise<string> {
      let req = request;
      for (;;) {
        throwIfAborted(req.signal);
        if (inflight) {
          const joined = inflight;
          try {
            await raceAbort(joined.promise, req.signal);
          } catch (error) {
            if (req.signal?.aborted) throw req.signal.reason;
            // The attempt we joined was abandoned by its own caller: run our own instead of failing.
            if (!joined.signal?.aborted) throw error;
          }
          // A token obtained while we waited is as fresh as a forced refresh would make it, and satisfies the
          // same authentication-method request.
          req = {
            ...req,
            forceRefresh: false,
            amrValues: sameValues(joined.amrValues, req.amrValues) ? undefined : req.amrValues,
          };
          continue;
        }
        const creds = await parts.store.get();
        if (inflight) continue;
        const wanted = unionScopes(parts.scope, req.scope);
        const granted = unionScopes(IMPLICIT_SCOPES, creds?.scope ?? parts.scope);
        const upgrade =
          creds !== undefined &&
          (wanted.some((s) => !granted.includes(s)) || (req.amrValues?.length ?? 0) > 0);
        const fresh =
          creds !== undefined &&
          (creds.expiresAt === undefined || creds.expiresAt - parts.refreshSkewSeconds > Date.now() / 1000);
        if (creds && fresh && !upgrade && !req.forceRefresh) return creds.accessToken;
        const entry: InFlight = { signal: req.signal, amrValues: req.amrValues, promise: undefined! };
        entry.promise = renew(creds, req, upgrade).finally(() => {
          if (inflight === entry) inflight = undefined;
        });
        inflight = entry;
        return await entry.promise;
      }
    },
  };
}

/** The options both OAuth flows share; {@link oauthFlowProvider} applies their defaults. */
export interface OAuthFlowCommonOptions {
  scope: string | readonly string[];
  /** Sent with refresh-token grants when given. */
  clientId?: string;
  /** @default memoryTokenStore() */
  store?: TokenStore;
  /** @default 60 */
  refreshSkewSeconds?: number;
}

/** The provider of an OAuth flow: its options' defaults, and refresh tokens exchanged at `endpoint`. */
export function oauthFlowProvider(
  endpoint: OAuthEndpoint,
  options: OAuthFlowCommonOptions,
  runFlow: OAuthProviderParts['runFlow'],
): TokenProvider {
  return createOAuthProvider({
    store: options.store ?? memoryTokenStore(),
    scope: scopeList(options.scope),
    refreshSkewSeconds: options.refreshSkewSeconds ?? 60,
    runFlow,
    refresh: (creds, signal) => refreshCredentials(endpoint, creds, options.clientId, signal),
  });
}
