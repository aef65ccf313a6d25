import type { Context } from 'hono';
import type { AppEnv } from './env.js';

/** How long an early answer waits for the rest of its request body before it leaves with `Connection: close`. */
export const DRAIN_MS = 10_000;

/** A request body as the body-limit middleware hands it out: who reads it, and whether it was read to the end. */
export interface RequestBodyState {
  /** The body as it arrived. */
  stream: ReadableStream<Uint8Array>;
  /** The one reader of `stream`, created by the first read. */
  reader?: ReadableStreamDefaultReader<Uint8Array>;
  /** The body was read to its end. */
  done: boolean;
  /** Reading stopped on purpose (a 413, a cancelled body): the answer closes the connection instead. */
  abandoned: boolean;
}

/** Reads and discards what is left of `body`, up to `maxBytes` and `ms`; true when it reached the end. */
async function discardRest(body: RequestBodyState, maxBytes: number, ms: number): Promise<boolean> {
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.reader ?? body.stream.getReader();
  } catch {
    return false; // locked elsewhere
  }
  body.reader = reader;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const drain = (async () => {
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      size += value.byteLength;
      if (size > maxBytes) return false;
    }
  })().catch(() => false); // the client went away: nothing left to answer
  try {
    const finished = await Promise.race([drain, timeout]);
    body.done = finished;
    return finished;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * After the handler answered: when the request body was neither read to the end nor abandoned on purpose, reads
 * the rest (bounded by `maxBytes`, the route's body limit, and {@link DRAIN_MS}) so that the answer reaches a client
 * still sending it. When the bound is hit the answer carries `Connection: close`, so the connection is not reused.
 */
export async function drainUnread(
  c: Context<AppEnv>,
  body: RequestBodyState,
  maxBytes: number,
): Promise<void> {
  if (body.done || body.abandoned || c.res.headers.get('Connection') === 'close') return;
  if (await discardRest(body, maxBytes, DRAIN_MS)) return;
  try {
    c.res.headers.set('Connection', 'close');
  } catch {
    c.res = new Response(c.res.body, {
      status: c.res.status,
      headers: { ...Object.fromEntries(c.res.headers), Connection: 'close' },
    });
  }
}
