import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkError, writeChunk } from '../../src/ingest/chunks.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redivis-chunk-writes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Deterministic bytes: every offset holds a value derived from it, so a misplaced block shows. */
function bytes(n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + (i >> 11)) & 0xff;
  return out;
}

/** A body arriving in pieces of `piece` bytes (socket reads are never block-sized), optionally failing after. */
function body(data: Buffer, piece: number, failAfter?: number): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < data.length; at += piece) {
        if (failAfter !== undefined && at >= failAfter) throw new Error('socket hang up');
        yield data.subarray(at, at + piece);
      }
    })(),
    { objectMode: false },
  );
}

describe('writeChunk across its 1 MiB write blocks', () => {
  const data = bytes(2.5 * 1024 * 1024 + 3);

  it('writes a body of many small pieces at its offset, every byte in order, and hashes what it wrote', async () => {
    const path = join(dir, 'whole');
    const hash = createHash('md5');
    const n = await writeChunk(body(data, 7 * 1024 + 5), {
      path,
      start: 0,
      length: data.length,
      received: 0,
      onData: (d) => hash.update(d),
    });
    expect(n).toBe(data.length);
    expect((await readFile(path)).equals(data)).toBe(true);
    expect(hash.digest('hex')).toBe(createHash('md5').update(data).digest('hex'));
  });

  it('skips the bytes of an overlapping resend that the file already holds', async () => {
    const path = join(dir, 'overlap');
    const held = 1_300_000;
    await writeFile(path, data.subarray(0, held));
    const start = 1_000_000;
    const n = await writeChunk(body(data.subarray(start), 65_536), {
      path,
      start,
      length: data.length - start,
      received: held,
    });
    expect(n).toBe(data.length);
    expect((await readFile(path)).equals(data)).toBe(true);
  });

  it('keeps exactly the declared bytes of a body longer than its Content-Range', async () => {
    const path = join(dir, 'long');
    const length = data.length - 10;
    const error = await writeChunk(body(data, 65_536), { path, start: 0, length, received: 0 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChunkError);
    expect((error as ChunkError).kind).toBe('tooLong');
    expect((await readFile(path)).equals(data.subarray(0, length))).toBe(true);
  });

  it('keeps every byte that arrived before the connection failed, and truncates a stale tail first', async () => {
    const path = join(dir, 'cut');
    await writeFile(path, Buffer.alloc(3 * 1024 * 1024, 0xee));
    const failAfter = 1_572_864;
    const error = await writeChunk(body(data, 65_536, failAfter), {
      path,
      start: 0,
      length: data.length,
      received: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChunkError);
    expect((error as ChunkError).kind).toBe('interrupted');
    expect((error as Error).message).toMatch(/interrupted after 1572864 bytes: socket hang up/);
    expect((await readFile(path)).equals(data.subarray(0, failAfter))).toBe(true);
  });
});
