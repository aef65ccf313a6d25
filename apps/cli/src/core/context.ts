import type { Redivis } from 'redivis-ts';
import { Output } from '../output/output.js';
import type { CliIO } from './io.js';
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
    return { kind: 'none' };
  };
  const ctx: CommandContext = {
    io,
    globals,
    out,
    signal: io.signal,
    tokenSource,
    redivis() {
      client ??= (async () => {
        const { createClient } = await import('redivis-ts');
        const source = await tokenSource();
        const baseUrl = endpointOf(ctx);
        return createClient({
          ...(baseUrl ? { baseUrl } : {}),
          ...(source.kind === 'none' ? {} : { apiToken: source.token }),
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
          platform: { env: io.env },
        });
      })();
      return client;
    },
  };
  return ctx;
}
