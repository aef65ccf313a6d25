import type { TokenProvider } from '@redivis-ts/core';
import type { Redivis } from 'redivis-ts';
import { Output } from '../output/output.js';
import type { CliIO } from './io.js';
import { loginStore, storedLoginProvider } from './login.js';
import { redactUrl, verboseFetch } from './verbose.js';

/** The global flags every command accepts. */
export interface GlobalOptions {
  endpoint?: string;
  token?: string;
  json: boolean;
  quiet: boolean;
  color: boolean;
  verbose: boolean;
  /** Retries of a failed request (network errors, 429, 5xx). */
  retries?: number;
}

/** What a command handler gets besides its arguments. */
export interface CommandContext {
  io: CliIO;
  globals: GlobalOptions;
  out: Output;
  /** Aborted on Ctrl-C: pass it to every SDK call. */
  signal: AbortSignal;
  /** The SDK, imported and configured on first use (endpoint, token, verbose trail). */
  redivis(): Promise<Redivis>;
  /** Where the token came from, for `auth status` and error hints. */
  tokenSource(): Promise<TokenSource>;
}

/** Where the token in use came from. */
export type TokenSource =
  | { kind: 'flag' | 'env'; token: string }
  | { kind: 'stored'; token: string }
  | { kind: 'none' };

/** The public API, when neither --endpoint nor REDIVIS_API_ENDPOINT says otherwise. */
export const DEFAULT_ENDPOINT = 'https://redivis.com/api/v1';

/** The API base URL: `--endpoint`, else `REDIVIS_API_ENDPOINT`, else the SDK default. */
export function endpointOf(ctx: Pick<CommandContext, 'globals' | 'io'>): string | undefined {
  return ctx.globals.endpoint ?? (ctx.io.env.REDIVIS_API_ENDPOINT || undefined);
}

/** Build the context a handler runs with. */
export function createContext(io: CliIO, globals: GlobalOptions): CommandContext {
  const out = new Output(io, globals);
  let client: Promise<Redivis> | undefined;
  const tokenSource = async (): Promise<TokenSource> => {
    if (globals.token) return { kind: 'flag', token: globals.token };
    const env = io.env.REDIVIS_API_TOKEN;
    if (env) return { kind: 'env', token: env };
    const stored = await (await loginStore(io.env)).get();
    return stored ? { kind: 'stored', token: stored.accessToken } : { kind: 'none' };
  };
  const ctx: CommandContext = {
    io,
    globals,
    out,
    signal: io.signal,
    tokenSource,
    redivis() {
      client ??= (async () => {
        const [{ createClient }, { resolveBaseUrl, oauthOriginOf }] = await Promise.all([
          import('redivis-ts'),
          import('@redivis-ts/core'),
        ]);
        const source = await tokenSource();
        const baseUrl = resolveBaseUrl(endpointOf(ctx) ?? DEFAULT_ENDPOINT);
        let auth: { apiToken?: string; tokenProvider?: TokenProvider } = {};
        if (source.kind === 'flag' || source.kind === 'env') auth = { apiToken: source.token };
        if (source.kind === 'stored') {
          const store = await loginStore(io.env);
          const credentials = await store.get();
          if (credentials) {
            auth = { tokenProvider: await storedLoginProvider(store, credentials, oauthOriginOf(baseUrl)) };
          }
        }
        return createClient({
          baseUrl,
          ...auth,
          ...(globals.verbose ? { fetch: verboseFetch(io.stderr, out.errColor) } : {}),
          retry: {
            ...(globals.retries !== undefined ? { limit: globals.retries } : {}),
            onRetry: ({ retry, delayMs, error, method, url }) =>
              out.status(
                out.errColor.yellow(
                  `Retrying ${method} ${redactUrl(url)} in ${Math.round(delayMs / 100) / 10}s (attempt ${retry + 1}): ${error.message}`,
                ),
              ),
          },
          onWarning: (message) => out.warn(message),
          platform: { env: io.env, tokenStore: await loginStore(io.env) },
        });
      })();
      return client;
    },
  };
  return ctx;
}
