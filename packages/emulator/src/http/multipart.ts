import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy } from '@fastify/busboy';
import type { Context } from 'hono';
import { ApiError, badRequest } from './errors.js';
import type { AppEnv } from './env.js';
import { requestBody } from './request-body.js';

/** The largest metadata part accepted (JSON text). */
const MAX_METADATA_BYTES = 1 << 20;

/** A file body written to disk as it arrived. */
export interface ReceivedFile {
  /** The part's file name (multipart), if any. */
  filename: string | undefined;
  size: number;
  /** MD5 hex of the bytes. */
  md5: string;
}

/** The two parts of a multipart upload (spec §5.9.1): `metadata` (JSON) and `data` (the file, now on disk). */
export interface MultipartUpload {
  metadata: Record<string, unknown>;
  data: ReceivedFile | undefined;
}

/** Counts and hashes the bytes passing to disk (the route's body limit caps them). */
function meter(): Transform & { size: number; md5: () => string } {
  const hash = createHash('md5');
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      m.size += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const m = Object.assign(t, { size: 0, md5: () => hash.digest('hex') });
  return m;
}

/** Streams the whole request body to `path` (the simple upload protocol). */
export async function receiveBody(c: Context<AppEnv>, path: string): Promise<ReceivedFile> {
  const m = meter();
  await pipeline(requestBody(c), m, createWriteStream(path));
  return { filename: undefined, size: m.size, md5: m.md5() };
}

/** Parser and part errors mean the body was cut short or malformed: the client's fault (400), not ours. */
function asClientError(e: unknown): unknown {
  if (e instanceof ApiError) return e;
  return badRequest(`The multipart body is truncated or malformed: ${(e as Error).message}`);
}

function parseMetadata(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('The metadata part is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('The metadata part must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Parses a `multipart/form-data` upload with busboy: the `metadata` part (a field, or a file part as Python's
 * requests sends it) is read into memory (≤ 1 MiB), the `data` part streams to `dataPath` as it arrives (the
 * route's body limit caps the whole body). A truncated or malformed body, an unknown part or a second data part is a 400; the caller removes
 * `dataPath` on any error.
 */
export async function receiveMultipart(c: Context<AppEnv>, dataPath: string): Promise<MultipartUpload> {
  const contentType = c.req.header('Content-Type') ?? '';
  let metadataText: string | undefined;
  let data: ReceivedFile | undefined;
  const writes: Promise<void>[] = [];
  let failure: unknown;
  let parser: Busboy | undefined;
  // The first failure ends the parse: destroying the parser stops reading the request (busboy would otherwise wait
  // forever for a data part nobody drains).
  const fail = (e: unknown) => {
    failure ??= e;
    parser?.destroy(failure as Error);
  };
  try {
    parser = Busboy({
      headers: { 'content-type': contentType },
      limits: { fields: 4, files: 2, parts: 4, fieldSize: MAX_METADATA_BYTES, headerPairs: 20 },
    });
  } catch (e) {
    throw badRequest(`The multipart body cannot be parsed: ${(e as Error).message}`);
  }
  const boy = parser;
  boy.on('field', (name, value, _nameTruncated, valueTruncated) => {
    if (name !== 'metadata') return fail(badRequest(`Unexpected multipart field "${name}"`));
    if (valueTruncated) return fail(badRequest('The metadata part may be at most 1 MiB'));
    metadataText = value;
  });
  boy.on('file', (name, stream, filename) => {
    // A part cut short errors on its own stream; without a listener that error would be uncaught and end the process.
    stream.on('error', (e) => fail(asClientError(e)));
    if (name === 'metadata') {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_METADATA_BYTES) fail(badRequest('The metadata part may be at most 1 MiB'));
        else chunks.push(chunk);
      });
      stream.on('end', () => {
        metadataText = Buffer.concat(chunks).toString('utf8');
      });
      return;
    }
    if (name !== 'data' || data || writes.length) {
      stream.resume();
      return fail(badRequest(name === 'data' ? 'Send one data part' : `Unexpected multipart part "${name}"`));
    }
    const m = meter();
    writes.push(
      pipeline(stream, m, createWriteStream(dataPath)).then(
        () => {
          data = { filename: filename || undefined, size: m.size, md5: m.md5() };
        },
        (e) => fail(asClientError(e)),
      ),
    );
  });
  boy.on('partsLimit', () => fail(badRequest('Send only the metadata and data parts')));
  boy.on('filesLimit', () => fail(badRequest('Send only the metadata and data parts')));
  boy.on('fieldsLimit', () => fail(badRequest('Send only the metadata and data parts')));
  try {
    await pipeline(requestBody(c), boy);
  } catch (e) {
    fail(asClientError(e));
  }
  await Promise.allSettled(writes);
  if (failure) throw failure;
  if (metadataText === undefined) throw badRequest('The multipart body has no metadata part');
  return { metadata: parseMetadata(metadataText), data };
}
