import { type CallOptions, callOptionsOf, ResponseValidationError } from '@redivis-ts/core';
import { UnknownVariableError } from './errors.js';
import type { ArrowClient, ReadSession, VariableInfo } from './types.js';

/** Options of {@link createReadSession}: the call options every method takes, and what the session holds. */
export interface ReadSessionOptions extends CallOptions {
  /** Cap on the rows across all streams (`maxResults` in the body). */
  maxResults?: number;
  /** Variables to read, in order (`selectedVariables`, sent as given; the server matches case-insensitively). */
  variables?: string[];
  /**
   * Upper bound on the streams the server returns (it may return fewer).
   * @default 1
   */
  requestedStreamCount?: number;
}

/**
 * Creates a read session: `POST {sourceUri}/readSessions` with
 * `{ requestedStreamCount, format: 'arrow', maxResults?, selectedVariables? }`.
 *
 * @param client - The core client.
 * @param sourceUri - API path of a table, query or upload, e.g. `/tables/demo.iris_species:v1_0.iris`.
 * @param options - See {@link ReadSessionOptions}.
 * @returns The session, its streams and (when the server says) its total row count.
 * @throws ResponseValidationError when the response has no `streams` array of objects with an `id`.
 */
export async function createReadSession(
  client: ArrowClient,
  sourceUri: string,
  options: ReadSessionOptions = {},
): Promise<ReadSession> {
  const json: Record<string, unknown> = {
    requestedStreamCount: options.requestedStreamCount ?? 1,
    format: 'arrow',
  };
  if (options.maxResults !== undefined) json.maxResults = options.maxResults;
  if (options.variables !== undefined) json.selectedVariables = options.variables;
  const path = `${trimSlash(sourceUri)}/readSessions`;
  const body = await client.request<unknown>({
    method: 'POST',
    path,
    json,
    // A second session is harmless (sessions change nothing and expire), so a 429/503 or a reset is retried.
    idempotent: true,
    ...callOptionsOf(options),
  });
  return checkSession(body, path);
}

function checkSession(body: unknown, path: string): ReadSession {
  const streams = (body as { streams?: unknown } | null)?.streams;
  const bad = !Array.isArray(streams)
    ? -1
    : streams.findIndex((s) => typeof (s as { id?: unknown } | null)?.id !== 'string');
  if (bad !== -1 || !Array.isArray(streams)) {
    const issuePath = bad === -1 ? ['streams'] : ['streams', bad, 'id'];
    throw new ResponseValidationError({
      description: `Read session response from POST ${path} has no valid ${bad === -1 ? 'streams array' : 'stream id'}`,
      issues: [{ message: 'Expected a stream id string', path: issuePath }],
      method: 'POST',
      url: path,
    });
  }
  return body as ReadSession;
}

/**
 * Lists the variables of a table, query or upload (`GET {sourceUri}/variables`, pages of 1,000) in server order.
 *
 * @param client - The core client.
 * @param sourceUri - API path of the table, query or upload.
 * @param options - The call options every method takes (signal, timeout, retry, headers).
 */
export async function listVariables(
  client: ArrowClient,
  sourceUri: string,
  options?: CallOptions,
): Promise<VariableInfo[]> {
  const items = await client
    .paginate<VariableInfo>({
      path: `${trimSlash(sourceUri)}/variables`,
      pageSize: 1000,
      ...callOptionsOf(options),
    })
    .toArray();
  return items.map((v) => ({ name: v.name, type: v.type }));
}

/**
 * Picks the requested variables, matched case-insensitively, in the order the caller listed them.
 *
 * @param all - Every variable of the source, in server order.
 * @param requested - Names to keep; `undefined` keeps all.
 * @param sourceUri - For the error message.
 * @throws UnknownVariableError when a requested name matches no variable.
 */
export function selectVariables(
  all: readonly VariableInfo[],
  requested: readonly string[] | undefined,
  sourceUri?: string,
): VariableInfo[] {
  if (requested === undefined) return [...all];
  const byName = new Map(all.map((v) => [v.name.toLowerCase(), v] as const));
  const missing = requested.filter((name) => !byName.has(name.toLowerCase()));
  if (missing.length)
    throw new UnknownVariableError({ variables: missing, ...(sourceUri ? { sourceUri } : {}) });
  return requested.map((name) => byName.get(name.toLowerCase())!);
}

/** `'/tables/x/'` → `'/tables/x'`, so `${uri}/readSessions` never holds `//`. */
export function trimSlash(uri: string): string {
  return uri.endsWith('/') ? uri.slice(0, -1) : uri;
}
