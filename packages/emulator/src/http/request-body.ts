import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { faultedRequestBody } from '../faults/hooks.js';
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

/** Reads a body as text within the route's body limit (413 past it, counted as it arrives). */
export async function readBodyText(c: Context<AppEnv>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of requestBody(c)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
