import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.js';
import type { RequestFaults } from './injector.js';

/**
 * Hook points for route handlers. Effects the middleware cannot apply on its own (they live inside a handler's
 * work) are read here: the uploads routes call {@link faultedRequestBody} for chunk bodies and
 * {@link uploadProcessingFault} when they create an upload.
 */

/** The faults matching the current request, or undefined (fault injection off, or no rule matched). */
export function requestFaults(c: Context<AppEnv>): RequestFaults | undefined {
  return c.get('faults');
}

/**
 * The request body, cut after `cutUploadChunkAfterBytes` bytes when that fault applies: the stream then ends
 * normally (store what arrived), and once the handler returns the connection is dropped without an answer, so the
 * client sees a chunk that broke off mid-transfer. Without the fault: the request body unchanged.
 */
export function faultedRequestBody(c: Context<AppEnv>): ReadableStream<Uint8Array> | null {
  const body = c.req.raw.body;
  const limit = requestFaults(c)?.cutUploadChunkAfterBytes;
  if (limit === undefined || body === null) return body;
  c.set('faultCutRequest', true);
  const reader = body.getReader();
  let taken = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (taken >= limit) {
        await reader.cancel().catch(() => undefined);
        controller.close();
        return;
      }
      const next = await reader.read();
      if (next.done) {
        controller.close();
        return;
      }
      const part = next.value.subarray(0, limit - taken);
      taken += part.byteLength;
      controller.enqueue(part);
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

/**
 * {@link faultedRequestBody} for a body read straight from Node's request: cut after `cutUploadChunkAfterBytes`
 * bytes (the stream ends normally and the request is destroyed, as the web body's cancel does), else `incoming`
 * itself.
 */
export function faultedNodeBody(c: Context<AppEnv>, incoming: Readable): Readable {
  const limit = requestFaults(c)?.cutUploadChunkAfterBytes;
  if (limit === undefined) return incoming;
  c.set('faultCutRequest', true);
  async function* cut(limit: number): AsyncGenerator<Buffer> {
    let taken = 0;
    // Leaving the loop destroys `incoming`, so the rest of the chunk is never read.
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      if (taken >= limit) break;
      const part = chunk.subarray(0, limit - taken);
      taken += part.length;
      yield part;
      if (taken >= limit) break;
    }
  }
  return Readable.from(cut(limit), { objectMode: false });
}

/**
 * The error message the processing of an upload created by this request must fail with, or undefined. Call it while
 * handling the request that creates (or finalizes) the upload and keep the answer with the upload's job.
 */
export function uploadProcessingFault(c: Context<AppEnv>): string | undefined {
  return requestFaults(c)?.failUploadProcessing;
}
