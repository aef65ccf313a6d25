import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function base36(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] as number) % 36];
  return out;
}

/** A deterministic id for seeded rows: the same key always gives the same id, across machines and runs. */
export function seededId(key: string, length = 9): string {
  return base36(createHash('sha256').update(`redivis-emulator:${key}`).digest(), length);
}

/** A random lowercase base-36 id (4 characters for reference ids, as on Redivis). */
export function randomId(length = 9): string {
  return base36(randomBytes(length), length);
}
