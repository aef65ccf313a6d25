import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RedivisTransport } from '@redivis-ts/core';
import type { RunningEmulator } from '@redivis-ts/emulator';

let n = 0;

/** A fresh dataset (unreleased first version) holding one empty table; returns the table's API path. */
export async function freshTable(
  client: RedivisTransport,
  options: { isFileIndex?: boolean } = {},
): Promise<string> {
  const name = `up_${process.pid}_${Date.now()}_${n++}`;
  await client.request({ method: 'POST', path: '/users/demo_admin/datasets', json: { name } });
  await client.request({
    method: 'POST',
    path: `/datasets/demo_admin.${name}/tables`,
    json: { name: 't', isFileIndex: options.isFileIndex ?? false },
  });
  return `/tables/demo_admin.${name}:next.t`;
}

/** The bytes the emulator stored for a temp upload (its file under the data dir; its length is what it received). */
export function storedTempUpload(emu: RunningEmulator, tempUploadId: string): Promise<Buffer> {
  return readFile(join(emu.ctx.dataDir, 'temp-uploads', tempUploadId));
}

/** Deterministic pseudo-random bytes (an LCG), so a failure can be replayed from its seed. */
export function content(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A small seeded generator for cut points. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
