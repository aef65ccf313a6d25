import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File in the data dir holding the signed-URL HMAC key (never in a table, so no SQL can read it); mode 0600. */
export const SIGNED_URL_KEY_FILE = 'signed-url.key';
/** Longest validity a signed URL may ask for (spec §5.4.1), seconds. */
export const MAX_SIGNED_URL_SECONDS = 86_400;

/** Loads the key, creating it (32 random bytes) on first use; written aside then renamed so it is never partial. */
export async function loadSignedUrlKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, SIGNED_URL_KEY_FILE);
  try {
    const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
    await chmod(path, 0o600);
    if (key.length >= 32) return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, key.toString('base64url'), { mode: 0o600 });
  await rename(temporary, path);
  return key;
}

/** What a signed URL grants: one file, as one user, until `expires` (epoch seconds). */
export interface SignedGrant {
  fileId: string;
  userId: string;
  expires: number;
}

function mac(key: Buffer, grant: SignedGrant): string {
  return createHmac('sha256', key)
    .update(`${grant.fileId}\n${grant.userId}\n${grant.expires}`)
    .digest('base64url');
}

/** The query string of a signed URL for `grant`. */
export function signedQuery(key: Buffer, grant: SignedGrant): string {
  const params = new URLSearchParams({
    expires: String(grant.expires),
    user: grant.userId,
    signature: mac(key, grant),
  });
  return params.toString();
}

/**
 * Checks a signed request: `'invalid'` when the signature does not match what this emulator signed for exactly
 * this file, user and expiry (any edited parameter), `'expired'` after `expires`, else the grant.
 */
export function verifySignedQuery(
  key: Buffer,
  fileId: string,
  query: { expires?: string | undefined; user?: string | undefined; signature?: string | undefined },
  nowMs: number,
): SignedGrant | 'invalid' | 'expired' {
  if (!query.expires || !/^\d{1,12}$/.test(query.expires) || !query.user || !query.signature)
    return 'invalid';
  const grant = { fileId, userId: query.user, expires: Number(query.expires) };
  const expected = Buffer.from(mac(key, grant));
  const given = Buffer.from(query.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  if (nowMs >= grant.expires * 1000) return 'expired';
  return grant;
}
