import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';
import { DRAIN_MS, drainUnread, type RequestBodyState } from './drain-body.js';
import { ApiError } from './errors.js';

/** Default limit of a request body (JSON bodies): 10 MiB. */
export const DEFAULT_JSON_BODY_BYTES = 10 * 1024 * 1024;
/** Default limit of a body a route opts into with {@link allowBody} (uploads streamed to disk): 100 MB, the spec's upload limit. */
export const DEFAULT_UPLOAD_BODY_BYTES = 100 * 1000 * 1000;

/** 413 `payload_too_large` in the API's error envelope. The connection is closed after it, so the rest is never read. */
export function payloadTooLarge(limit: number): ApiError {
  return new ApiError(
    413,
    'payload_too_large',
    `The request body is larger than this endpoint accepts (at most ${limit} bytes)`,
    { maxBytes: limit },
    { Connection: 'close' },
  );
}

function declaredLength(request: Request): number | undefined {
  const header = request.headers.get('content-length');
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header);
}

/**
 * The body of `raw` as a pull stream that enforces `limit()` (read when the first byte is wanted, so a route can
 * raise it first): a declared Content-Length over the limit fails before a byte is read, and a chunked body fails
 * as soon as the bytes counted pass the limit. Nothing is read ahead of the consumer (highWaterMark 0).
 */
function limitedBody(raw: Request, body: RequestBodyState, limit: () => number): ReadableStream<Uint8Array> {
  let size = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const max = limit();
        if (!body.reader) {
          if ((declaredLength(raw) ?? 0) > max) return controller.error(payloadTooLarge(max));
          body.reader = body.stream.getReader();
        }
        const { done, value } = await body.reader.read();
        if (done) {
          body.done = true;
          return controller.close();
        }
        size += value.byteLength;
        // The reader is released, not cancelled: cancelling destroys Node's request and with it the socket, so
        // the 413 could not be sent. The 413 closes the connection instead.
        if (size > max) {
          body.reader.releaseLock();
          body.abandoned = true;
          return controller.error(payloadTooLarge(max));
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        body.abandoned = true;
        return body.reader?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * App-wide body limit: every request body is read through a counting stream whose limit is the route's
 * ({@link allowBody}) or `defaultBytes`. A request answered before its body was read to the end (a 429, a 401, a
 * 404…) has the rest drained before the answer leaves, within that limit and {@link DRAIN_MS}: otherwise the
 * connection is torn down under a client still sending, which then sees a reset instead of the answer.
 */
export function bodyLimit(defaultBytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const raw = c.req.raw;
    const stream = raw.body;
    if (!stream) return next();
    const body: RequestBodyState = { stream, done: false, abandoned: false };
    const limit = () => c.get('bodyLimit') ?? defaultBytes;
    c.req.raw = new Request(raw, { body: limitedBody(raw, body, limit), duplex: 'half' } as RequestInit);
    await next();
    await drainUnread(c, body, limit());
  };
}

/**
 * Route middleware raising the body limit of one route to `bytes` (upload routes, which stream their body to disk
 * instead of holding it): `app.post('/…/uploads', allowBody(ctx.options.bodyLimits.upload), handler)`. A declared
 * Content-Length over it is refused at once; a chunked body is still counted while it is read.
 */
export function allowBody(bytes: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if ((declaredLength(c.req.raw) ?? 0) > bytes) throw payloadTooLarge(bytes);
    c.set('bodyLimit', bytes);
    return next();
  };
}
