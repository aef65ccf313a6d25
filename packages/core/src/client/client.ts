import type { TokenProvider } from '../auth/index.js';
import type { PagePromise, PaginateSpec } from '../pagination/index.js';
import { paginate } from '../pagination/paginate.js';
import { clientHeaders } from './headers.js';
import {
  type TransportOptions,
  DEFAULT_TIMEOUT_MS,
  oauthOriginOf,
  type RequestSpec,
  type RetryOptions,
  resolveBaseUrl,
} from './options.js';
import { send, type TransportConfig } from './transport.js';

/**
 * A configured Redivis API transport: the one request path. Every layer above core sends its requests through one
 * of these; retries, authentication, error mapping and response validation happen here. The object model users
 * call "the client" (`createClient` in `redivis-ts`, `createRedivis` in `@redivis-ts/resources`) wraps one.
 */
export interface RedivisTransport {
  /** The API base URL, without trailing slash (e.g. `https://redivis.com/api/v1`). */
  readonly baseUrl: string;
  /** The base URL's origin; OAuth endpoints live at `<oauthOrigin>/oauth/...`. */
  readonly oauthOrigin: string;
  /**
   * Sends a request and returns its parsed JSON body (`undefined` for an empty or `OK` body), validated by
   * `spec.schema` when given.
   *
   * @throws RedivisError subclasses for HTTP, network, timeout and validation failures; aborts reject with the
   * signal's reason.
   */
  request<T = unknown>(spec: RequestSpec<T>): Promise<T>;
  /** Sends a request and returns the body as text. */
  requestText(spec: RequestSpec): Promise<string>;
  /** Sends a request and returns the body as bytes. */
  requestBytes(spec: RequestSpec): Promise<Uint8Array>;
  /**
   * Sends a request and returns the 2xx `Response` with its body unread (Arrow streams, file bytes). Errors are
   * mapped as for {@link RedivisTransport.request}; the timeout covers the wait for headers only, and failures while
   * reading the body are the caller's to handle.
   */
  requestStream(spec: RequestSpec): Promise<Response>;
  /** Lists a collection page by page: await the first page, or `for await` over every item. */
  paginate<T>(spec: PaginateSpec<T>): PagePromise<T>;
  /**
   * A client with some options replaced (headers and retry options are merged). Derived clients share the set of
   * warnings already reported.
   */
  withOptions(overrides: Partial<TransportOptions>): RedivisTransport;
}

/**
 * Creates a transport. No global state: two transports with different options coexist.
 *
 * @example
 * ```ts
 * const client = createTransport({ apiToken: process.env.REDIVIS_API_TOKEN });
 * const dataset = await client.request({ path: '/datasets/demo.iris_species' });
 * for await (const table of client.paginate({ path: '/datasets/demo.iris_species/tables' })) console.log(table);
 * ```
 *
 * @param options - See {@link TransportOptions}.
 * @throws TypeError when `baseUrl` is not an absolute http(s) URL.
 */
export function createTransport(options: TransportOptions = {}): RedivisTransport {
  return build(options, new Set());
}

function staticProvider(token: string): TokenProvider {
  return { kind: 'static', getToken: async () => token };
}

function mergeRetry(base: RetryOptions | false | undefined, over: RetryOptions | false | undefined) {
  if (over === undefined) return base;
  if (over === false || base === false || base === undefined) return over;
  return { ...base, ...over };
}

function build(options: TransportOptions, seenWarnings: Set<string>): RedivisTransport {
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const tokenProvider =
    options.tokenProvider ?? (options.apiToken ? staticProvider(options.apiToken) : undefined);
  const config: TransportConfig = {
    baseUrl,
    fetch: options.fetch,
    timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
    retry: options.retry,
    headers: { ...clientHeaders(options.userAgent), ...options.headers },
    tokenProvider,
    onWarning: options.onWarning ?? ((message) => console.warn(`Redivis warning: ${message}`)),
    seenWarnings,
  };
  const client: RedivisTransport = {
    baseUrl,
    oauthOrigin: oauthOriginOf(baseUrl),
    request: <T>(spec: RequestSpec<T>) => send(config, spec, 'json') as Promise<T>,
    requestText: (spec) => send(config, spec, 'text') as Promise<string>,
    requestBytes: (spec) => send(config, spec, 'bytes') as Promise<Uint8Array>,
    requestStream: (spec) => send(config, spec, 'stream') as Promise<Response>,
    paginate: <T>(spec: PaginateSpec<T>) => paginate(client, spec),
    withOptions: (overrides) =>
      build(
        {
          ...options,
          ...overrides,
          headers: { ...options.headers, ...overrides.headers },
          retry: mergeRetry(options.retry, overrides.retry),
        },
        seenWarnings,
      ),
  };
  return Object.freeze(client);
}
