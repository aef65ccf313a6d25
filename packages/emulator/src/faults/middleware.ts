import { sleep } from '@redivis-ts/core';
import type { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.js';
import { ApiError, badRequest } from '../http/errors.js';
import { clientGone } from '../http/request-body.js';
import type { FaultInjector } from './injector.js';
import { FAULT_HEADER, parseFaultHeader } from './options.js';

/** The Node response under a Hono context (the node-server adapter passes it as `env.outgoing`). */
function nodeResponse(c: Context<AppEnv>): ServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: unknown } | undefined)?.outgoing;
  return outgoing && typeof (outgoing as ServerResponse).destroy === 'function'
    ? (outgoing as ServerResponse)
    : undefined;
}

/**
 * A response whose body stops after `limit` bytes and then drops the connection (what a client sees when a network
 * path dies): the socket is closed once the bytes before the cut are flushed. Without a Node socket the body errors
 * instead. The rest of the original body is cancelled, which releases whatever produced it (a DuckDB connection).
 */
export function cutResponse(res: Response, limit: number, outgoing?: ServerResponse): Response {
  const reader = res.body?.getReader();
  let sent = 0;
  let cut = false;
  const drop = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    const socket = outgoing?.socket as (ServerResponse['socket'] & { destroySoon?: () => void }) | null;
    if (!outgoing || !socket?.destroySoon) {
      controller.error(new Error('connection dropped (injected fault)'));
      return;
    }
    // @hono/node-server reads up to three chunks ahead before it writes the head, so a short body reaches the cut
    // before anything was sent: destroying the socket then would lose the bytes promised before the cut. Drop once
    // the head (and with it those bytes) has been handed to the socket; destroySoon flushes them first.
    const whenSent = (tries: number) => {
      if (outgoing.headersSent || tries === 0) socket.destroySoon?.();
      else setTimeout(() => whenSent(tries - 1), 1);
    };
    whenSent(2_000);
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (cut) return drop(controller);
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      // A body shorter than the limit still ends in a drop: the fault promised a broken transfer.
      if (next.done) return drop(controller);
      const room = limit - sent;
      if (next.value.byteLength >= room) {
        cut = true;
        sent = limit;
        await reader?.cancel().catch(() => undefined);
        if (room > 0) controller.enqueue(next.value.subarray(0, room));
        else drop(controller);
        return;
      }
      sent += next.value.byteLength;
      controller.enqueue(next.value);
    },
    async cancel(reason) {
      await reader?.cancel(reason).catch(() => undefined);
    },
  });
  return new Response(body, { status: res.status, headers: res.headers });
}

/**
 * Applies fault injection to every request when enabled: arms the rules of the `X-Redivis-Emulator-Fault` header
 * (a 400 when malformed), then, for the rules the request matches, waits the latency, answers the injected
 * 429/503, or lets the handler run and cuts its response body. Disabled: the header is ignored and nothing runs.
 */
export function faultMiddleware(injector: FaultInjector): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!injector.enabled || c.req.method === 'OPTIONS') return next();
    const pathname = new URL(c.req.url).pathname;
    const header = c.req.header(FAULT_HEADER);
    if (header !== undefined) {
      const rules = parseFaultHeader(header);
      if (typeof rules === 'string') throw badRequest(rules);
      try {
        injector.arm(rules, c.req.method, pathname);
      } catch (e) {
        throw badRequest(`${FAULT_HEADER}: ${(e as Error).message}`);
      }
    }
    const faults = injector.take(c.req.method, pathname);
    if (!faults) return next();
    c.set('faults', faults);
    // Core's sleep; a client that hangs up ends the wait early and the response goes nowhere.
    if (faults.latencyMs > 0) await sleep(faults.latencyMs, clientGone(c)).catch(() => {});
    if (faults.status !== undefined) {
      throw new ApiError(
        faults.status,
        faults.status === 429 ? 'rate_limit_exceeded' : 'service_unavailable',
        faults.status === 429
          ? 'Too many requests, please try again later. (injected fault)'
          : 'The service is temporarily unavailable, please try again later. (injected fault)',
        {},
        { 'Retry-After': String(faults.retryAfterSec) },
      );
    }
    await next();
    if (c.get('faultCutRequest')) {
      // The handler stored a cut chunk: the client must see its connection die without an answer.
      const outgoing = nodeResponse(c);
      if (outgoing) {
        await c.res.body?.cancel().catch(() => undefined);
        outgoing.destroy();
        return;
      }
      c.res = cutResponse(c.res, 0);
      return;
    }
    if (faults.dropAfterBytes !== undefined)
      c.res = cutResponse(c.res, faults.dropAfterBytes, nodeResponse(c));
  };
}
