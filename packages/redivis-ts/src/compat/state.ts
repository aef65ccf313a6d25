import { createTransport, type TokenProvider, type TokenRequest } from '@redivis-ts/core';
import { createRedivis, type Redivis } from '@redivis-ts/resources';

/** Where `setApiProxy` sends requests instead of the Redivis API, and the headers it adds. */
export interface ApiProxyOptions {
  /** Base URL of the proxy (it forwards to `…/api/v1`). No `Authorization` header is sent to a proxy. */
  baseUrl: string;
  /** Headers sent with every request through the proxy. */
  headers?: Record<string, string>;
}

/** What `authorize` accepts. */
export interface AuthorizeOptions {
  /** An API token; every later request, including those of objects made earlier, sends it. */
  apiToken?: string;
  /**
   * Any `redivis-ts` token provider (e.g. `authorizationCodeFlow({ clientId, redirectUri })` in a browser), for the
   * OAuth sign-in the official client runs when `authorize()` gets no token.
   */
  tokenProvider?: TokenProvider;
}

// Module state, like the official client's: one token and one proxy for the whole page or process.
let authorized: TokenProvider | undefined;
let proxy: ApiProxyOptions | undefined;
let cached: { key: string; root: Redivis } | undefined;

function envToken(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.REDIVIS_API_TOKEN?.trim() || undefined;
}

function envEndpoint(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.REDIVIS_API_ENDPOINT?.trim() || undefined;
}

// Read on every request, so the token follows authorize/deauthorize for objects made before either call (the
// official client keeps the first token it read for the rest of the session).
const currentToken: TokenProvider = {
  get kind() {
    if (proxy) return 'anonymous';
    return authorized?.kind ?? 'environment';
  },
  async getToken(req?: TokenRequest) {
    if (proxy) return undefined;
    if (authorized) return authorized.getToken(req);
    return envToken();
  },
};

/**
 * Use `apiToken` (or `tokenProvider`) for every request from now on. Without either, the token comes from
 * `REDIVIS_API_TOKEN`; when that is unset too this throws, because the official client's interactive sign-in (a
 * terminal prompt or a popup) needs an OAuth client this facade cannot guess.
 *
 * @throws TypeError when neither a token, a provider nor `REDIVIS_API_TOKEN` is available.
 */
export async function authorize(options: AuthorizeOptions = {}): Promise<void> {
  if (options.tokenProvider) {
    authorized = options.tokenProvider;
    return;
  }
  const token = options.apiToken?.trim() || envToken();
  if (!token) {
    throw new TypeError(
      'authorize() needs { apiToken } or { tokenProvider } (e.g. authorizationCodeFlow from redivis-ts); ' +
        'REDIVIS_API_TOKEN is not set either.',
    );
  }
  authorized = { kind: 'static', getToken: async () => token };
}

/** Forget the token given to `authorize`; later requests use `REDIVIS_API_TOKEN`, or none. */
export async function deauthorize(): Promise<void> {
  authorized = undefined;
}

/** Whether requests will carry a token: one given to `authorize`, or `REDIVIS_API_TOKEN`. */
export async function isAuthorized(): Promise<boolean> {
  if (authorized) return (await authorized.getToken()) !== undefined;
  return envToken() !== undefined;
}

/**
 * Send every request to a proxy (`setApiProxy(url, { headers })` or `setApiProxy({ baseUrl, headers })`) that
 * adds credentials itself; no `Authorization` header is sent while a proxy is set.
 *
 * @throws TypeError when no `baseUrl` is given or it is not an absolute http(s) URL.
 */
export function setApiProxy(
  baseUrlOrOptions: string | ApiProxyOptions,
  options: Partial<ApiProxyOptions> = {},
): void {
  const chosen =
    typeof baseUrlOrOptions === 'string' ? { ...options, baseUrl: baseUrlOrOptions } : baseUrlOrOptions;
  if (!chosen?.baseUrl) throw new TypeError('A baseUrl must be provided for the API proxy');
  // Validates the URL now rather than at the first request.
  createTransport({ baseUrl: chosen.baseUrl });
  proxy = { baseUrl: chosen.baseUrl, ...(chosen.headers ? { headers: { ...chosen.headers } } : {}) };
}

/**
 * @internal the object model for the current endpoint (proxy, else `REDIVIS_API_ENDPOINT`, else the Redivis API),
 * rebuilt when either changes; one per endpoint so retries, warnings and caches are shared.
 */
export function compatRoot(): Redivis {
  const key = proxy
    ? `proxy ${proxy.baseUrl} ${JSON.stringify(proxy.headers ?? {})}`
    : `api ${envEndpoint() ?? ''}`;
  if (cached?.key !== key) {
    const client = createTransport({
      tokenProvider: currentToken,
      ...(proxy ? { baseUrl: proxy.baseUrl, headers: proxy.headers ?? {} } : {}),
    });
    cached = { key, root: createRedivis(client, {}) };
  }
  return cached.root;
}

/** Stop using the proxy set by `setApiProxy` (an addition: the official client cannot unset it). */
export function clearApiProxy(): void {
  proxy = undefined;
}
