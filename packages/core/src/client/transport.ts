import ky from 'ky';
import type { TokenProvider, TokenRequest } from '../auth/index.js';
import {
  ConnectionRefusedError,
  errorFromResponse,
  InsufficientScopeError,
  isRedivisError,
  NetworkError,
  parseRetryAfter,
  type RedivisError,
  redact,
  TimeoutError,
} from '../errors/index.js';
import { sleep } from '../wait/sleep.js';
import { parseJsonBody, validate } from './body.js';
import { mergeHeaders } from './headers.js';
import type { HttpMethod, RequestSpec, RetryOptions } from './options.js';
import { isRetryEligible, isStreamBody, refusedUnprocessed, resolveRetry, retryDelay } from './retry.js';
import { anySignal } from './signals.js';
import { buildUrl } from './url.js';

/** What a call reads from a success response. */
export type ResponseKind = 'json' | 'text' | 'bytes' | 'stream';

/** Everything the transport needs from a client (resolved options plus per-client state). */
export interface TransportConfig {
  baseUrl: string;
  fetch?: typeof fetch;
  timeout: number | false;
  retry?: RetryOptions | false;
  /** Client-level headers, identification headers included. */
  headers: Record<string, string>;
  tokenProvider?: TokenProvider;
  onWarning: (message: string) => void;
  /** Warnings already reported by this client family. */
  seenWarnings: Set<string>;
}

interface Attempt {
  method: HttpMethod;
  url: string;
  safeUrl: string;
  headers: Headers;
  secrets: string[];
  spec: RequestSpec<unknown>;
  kind: ResponseKind;
  timeout: number | false;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: RedivisError; retryAfterMs?: number };

const ACCEPT: Record<ResponseKind, string> = {
  json: 'application/json',
  text: 'text/*, application/json;q=0.9, */*;q=0.8',
  bytes: '*/*',
  stream: '*/*',
};

/**
 * Sends one logical request: attempts, re-authentication, retries with backoff, error mapping and validation.
 *
 * @param config - The client's transport configuration.
 * @param spec - The request.
 * @param kind - How to read a success body.
 * @returns The parsed JSON, text, bytes, or the unread `Response` for `stream`.
 */
export async function send(
  config: TransportConfig,
  spec: RequestSpec<unknown>,
  kind: ResponseKind,
): Promise<unknown> {
  const method = (spec.method ?? 'GET').toUpperCase() as HttpMethod;
  if ((method === 'GET' || method === 'HEAD') && (spec.body !== undefined || spec.json !== undefined)) {
    throw new TypeError(`A ${method} request cannot carry a body`);
  }
  if (spec.body !== undefined && spec.json !== undefined)
    throw new TypeError('Pass either json or body, not both');
  const url = buildUrl(config.baseUrl, spec.path, spec.query);
  const retry = resolveRetry(config.retry, spec.retry);
  const canRetry = isRetryEligible(method, spec.body, spec.idempotent);
  const replayable = !isStreamBody(spec.body);
  const timeout = spec.timeout !== undefined ? spec.timeout : config.timeout;
  const provider = config.tokenProvider;
  const { signal } = spec;
  let tokenRequest: TokenRequest = {};
  let reauthenticated = false;
  for (let retries = 0; ; ) {
    signal?.throwIfAborted();
    const token = provider ? await provider.getToken({ ...tokenRequest, signal }) : undefined;
    tokenRequest = {};
    const headers = mergeHeaders({ Accept: ACCEPT[kind] }, config.headers, spec.headers);
    if (token && !headers.has('authorization')) headers.set('Authorization', `Bearer ${token}`);
    const authorization = headers.get('authorization') ?? undefined;
    const secrets = [token, authorization, authorization?.replace(/^\S+\s+/, '')].filter(
      (s): s is string => !!s,
    );
    const safeUrl = redact(url, secrets);
    const outcome = await attempt(config, { method, url, safeUrl, headers, secrets, spec, kind, timeout });
    if (outcome.ok) return outcome.value;
    const { error } = outcome;
    if (!reauthenticated && replayable && provider && refreshes(provider) && needsReauth(error)) {
      reauthenticated = true;
      tokenRequest =
        error instanceof InsufficientScopeError
          ? {
              forceRefresh: true,
              scope: error.scope,
              ...(error.amrValues ? { amrValues: error.amrValues } : {}),
            }
          : { forceRefresh: true };
      continue;
    }
    const delay =
      canRetry || (replayable && refusedUnprocessed(error))
        ? retryDelay(error, retries, retry, outcome.retryAfterMs)
        : undefined;
    if (delay === undefined) throw error;
    retries++;
    retry.onRetry?.({ retry: retries, delayMs: delay, error, method, url: safeUrl });
    await sleep(delay, signal);
  }
}

// A forced refresh of these kinds returns the same answer (a fixed token, the same variable, no token), so a
// second request would only repeat the 401.
const NON_REFRESHING: ReadonlySet<TokenProvider['kind']> = new Set(['static', 'environment', 'anonymous']);

function refreshes(provider: TokenProvider): boolean {
  return !NON_REFRESHING.has(provider.kind);
}

function needsReauth(error: RedivisError): boolean {
  return error.status === 401 || error instanceof InsufficientScopeError;
}

// Raw bodies bypass ky's Request so that ky's per-attempt clone() cannot tee (and buffer) a large upload.
function fetchFor(config: TransportConfig, body: RequestSpec['body']): typeof fetch {
  const base: typeof fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  if (body === undefined) return base;
  return (input, init) =>
    base(new Request(input as Request, { body: body as BodyInit, duplex: 'half' } as RequestInit), init);
}

async function attempt(config: TransportConfig, a: Attempt): Promise<Outcome> {
  const { signal } = a.spec;
  const timeoutController = a.timeout === false ? undefined : new AbortController();
  const timer = timeoutController
    ? setTimeout(() => timeoutController.abort(), a.timeout as number)
    : undefined;
  const context = { method: a.method, url: a.safeUrl, secrets: a.secrets };
  const fail = (cause: unknown): Outcome => {
    if (signal?.aborted) throw signal.reason;
    if (isRedivisError(cause)) return { ok: false, error: cause };
    if (timeoutController?.signal.aborted) {
      const description = `No complete response within ${a.timeout} ms`;
      return { ok: false, error: new TimeoutError({ description, code: 'timeout', cause, ...context }) };
    }
    if (isConnectionRefused(cause)) {
      const endpoint = originOf(a.safeUrl);
      const description = `Connection refused by ${endpoint}: is the server running, and is this the right endpoint (baseUrl / REDIVIS_API_ENDPOINT)?`;
      const error = new ConnectionRefusedError({
        description,
        code: 'connection_refused',
        cause,
        endpoint,
        ...context,
      });
      return { ok: false, error };
    }
    const description = `Network error: ${describe(cause)}`;
    return { ok: false, error: new NetworkError({ description, code: 'network_error', cause, ...context }) };
  };
  try {
    let response: Response;
    try {
      response = await ky(a.url, {
        method: a.method,
        headers: a.headers,
        json: a.spec.json,
        signal: anySignal([signal, timeoutController?.signal]),
        fetch: fetchFor(config, a.spec.body),
        timeout: false,
        retry: 0,
        throwHttpErrors: false,
      });
    } catch (cause) {
      return fail(cause);
    }
    reportWarning(config, response.headers);
    if (!response.ok && !a.spec.acceptStatus?.includes(response.status)) {
      let text = '';
      try {
        if (a.method !== 'HEAD') text = await response.text();
      } catch (cause) {
        // A body cut short still leaves us the status; only aborts and timeouts win over it.
        if (signal?.aborted || timeoutController?.signal.aborted) return fail(cause);
      }
      const error = errorFromResponse(response.status, text, response.headers, context);
      return { ok: false, error, retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
    }
    if (a.kind === 'stream') return { ok: true, value: response };
    let value: unknown;
    try {
      value = a.kind === 'bytes' ? new Uint8Array(await response.arrayBuffer()) : await response.text();
    } catch (cause) {
      return fail(cause);
    }
    if (a.kind === 'json') {
      try {
        value = parseJsonBody(value as string, context);
        if (a.spec.schema) value = validate(value, a.spec.schema, context);
      } catch (cause) {
        return fail(cause);
      }
    }
    return { ok: true, value };
  } finally {
    clearTimeout(timer);
  }
}

function reportWarning(config: TransportConfig, headers: Headers): void {
  const warning = headers.get('x-redivis-warning');
  if (!warning || config.seenWarnings.has(warning)) return;
  config.seenWarnings.add(warning);
  try {
    config.onWarning(warning);
  } catch {
    // A failing warning handler must not fail the request it was only informing about.
  }
}

// Node's fetch reports a refusal as TypeError('fetch failed') caused by an error with code ECONNREFUSED; with
// several addresses (localhost → ::1 and 127.0.0.1) the cause is an AggregateError of such errors.
function isConnectionRefused(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if ((error as { code?: unknown }).code === 'ECONNREFUSED') return true;
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => isConnectionRefused(e, depth + 1))) {
    return true;
  }
  return isConnectionRefused((error as { cause?: unknown }).cause, depth + 1);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(unknown endpoint)';
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && cause !== error.message ? `${error.message}: ${cause}` : error.message;
}
