import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { faultedNodeBody, faultedRequestBody } from '../faults/hooks.js';
import type { AppEnv } from './env.js';

/**
 * The request body as a Node stream, read as it arrives (never buffered whole) through the app's body limit (raise
 * it for the route with `allowBody`) and, for upload chunks, the fault injector's cut. Empty without a body.
 */
export function requestBody(c: Context<AppEnv>): Readable {
  const body = faultedRequestBody(c);
  if (!body) return Readable.from([]);
  return Readable.fromWeb(body as never);
}

/** Node's request under a Hono context (the node-server adapter passes it as `env.incoming`). */
function nodeRequest(c: Context<AppEnv>): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming && typeof incoming.pipe === 'function' ? incoming : undefined;
}

/**
 * Whether this request's body is read from Node's socket by {@link socketBody}: a `PUT` of temp-upload bytes
 * (`/tempUploads/{id}`), whose route bounds what it reads by its Content-Range (capped by `allowBody`). The app's
 * body limit leaves these alone, and nothing may touch `c.req.raw.body` or `.signal` for them: either makes
 * @hono/node-server start reading the socket into a web stream.
 */
export function readsSocketBody(c: Context<AppEnv>): boolean {
  return c.req.method === 'PUT' && /^\/tempUploads\/[^/]+$/.test(c.req.path) && nodeRequest(c) !== undefined;
}

/**
 * The request body straight from Node's request (see {@link readsSocketBody}): no web-stream round trip, whose
 * adapters copy every chunk (a third of the emulator's CPU while it received a file, in the ingest bench's
 * profile). The fault injector's cut applies. Other requests: {@link requestBody}.
 */
export function socketBody(c: Context<AppEnv>): Readable {
  const incoming = nodeRequest(c);
  if (!incoming || !readsSocketBody(c)) return requestBody(c);
  // A reset while the route prepares its file must not end the process; the consumer sees the error itself.
  incoming.on('error', () => undefined);
  return faultedNodeBody(c, incoming);
}

/**
 * Aborts when the client goes away before its answer was sent: the request's own signal, or for a request read
 * from the socket (where that signal would start reading the body, see {@link readsSocketBody}) the Node
 * response's early close.
 */
export function clientGone(c: Context<AppEnv>): AbortSignal {
  if (!readsSocketBody(c)) return c.req.raw.signal;
  const outgoing = (c.env as { outgoing?: ServerResponse }).outgoing;
  const controller = new AbortController();
  outgoing?.once('close', () => {
    if (!outgoing.writableFinished) controller.abort(new Error('Client connection prematurely closed.'));
  });
  return controller.signal;
}

/** Reads a body as text within the route's body limit (413 past it, counted as it arrives). */
export async function readBodyText(c: Context<AppEnv>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of requestBody(c)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
