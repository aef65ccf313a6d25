import { calculatePKCECodeChallenge, generateRandomCodeVerifier, generateRandomState } from 'oauth4webapi';

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export interface PkcePair {
  /** The secret verifier, sent only to the token endpoint. */
  verifier: string;
  /** base64url(SHA-256(verifier)) without padding, sent with the authorization request. */
  challenge: string;
  /** Always `S256`: the only method Redivis clients use. */
  method: 'S256';
}

/**
 * Creates a fresh PKCE pair with Web Crypto (works in browsers, Node 20+, workers). oauth4webapi supplies the
 * random verifier (32 random bytes, base64url) and the S256 challenge.
 */
export async function createPkcePair(): Promise<PkcePair> {
  const verifier = generateRandomCodeVerifier();
  return { verifier, challenge: await calculatePKCECodeChallenge(verifier), method: 'S256' };
}

/** A fresh random `state` value for an authorization request. */
export function createState(): string {
  return generateRandomState();
}
