import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** An S256 challenge is base64url(SHA-256) without padding: exactly 43 characters. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** True when `challenge` has the shape of an S256 code challenge. */
export function isS256Challenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** base64url(SHA-256(verifier)) without padding, as RFC 7636 `S256` defines it. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** Checks a PKCE verifier against the S256 challenge stored with a code (constant-time comparison). */
export function verifyPkce(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !VERIFIER.test(verifier)) return false;
  const expected = Buffer.from(challenge, 'ascii');
  const actual = Buffer.from(s256Challenge(verifier), 'ascii');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
