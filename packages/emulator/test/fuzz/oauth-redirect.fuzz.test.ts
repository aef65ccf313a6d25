import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOAuthApp } from '../../src/index.js';
import { CookieClient, pkcePair, postToken, startTestEmulator, type TestEmulator } from '../oauth-helpers.js';

// Redirect URIs are compared exactly (README: OAuth): any URI that differs from the registered one by a single
// character, however harmless it looks (a trailing slash, case, a port, a query, a fragment, an encoding), is an
// error page and never a redirect, so no code can be sent anywhere but the registered URI. (The two `oob` URIs,
// which redirect nowhere, are always allowed, as documented.)
const REGISTERED = 'http://127.0.0.1:8765/callback';

let t: TestEmulator;
let alice: CookieClient;
let clientId: string;
beforeAll(async () => {
  t = await startTestEmulator({ codeTtlSec: 120 });
  alice = new CookieClient(t.origin);
  await alice.signIn('alice');
  clientId = (await registerOAuthApp(t.emu.ctx, { name: 'Exact', redirectUris: [REGISTERED], public: true }))
    .clientId;
});
afterAll(() => t?.emu.stop());

const variants = fc.oneof(
  fc.constantFrom(
    `${REGISTERED}/`,
    'http://127.0.0.1:8765/Callback',
    'HTTP://127.0.0.1:8765/callback',
    'http://127.0.0.1:8766/callback',
    'http://127.0.0.1/callback',
    'https://127.0.0.1:8765/callback',
    'http://localhost:8765/callback',
    `${REGISTERED}?x=1`,
    `${REGISTERED}#frag`,
    'http://127.0.0.1:8765/callback/..',
    'http://127.0.0.1:8765/%63allback',
    'http://user@127.0.0.1:8765/callback',
    'http://127.0.0.1:8765/callbac',
    'http://127.0.0.1:8765/callbackx',
    `${REGISTERED}%00`,
    ` ${REGISTERED}`,
    'javascript:alert(1)',
  ),
  fc
    .tuple(fc.nat({ max: REGISTERED.length }), fc.string({ minLength: 1, maxLength: 3 }))
    .map(([at, insert]) => `${REGISTERED.slice(0, at)}${insert}${REGISTERED.slice(at)}`),
  fc.nat({ max: REGISTERED.length - 1 }).map((at) => `${REGISTERED.slice(0, at)}${REGISTERED.slice(at + 1)}`),
);

function authorize(redirectUri: string, challenge: string): Promise<Response> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    scope: 'data.data',
    redirect_uri: redirectUri,
    state: 's',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return alice.fetch(`/oauth/authorize?${query}`);
}

describe('exact redirect URI matching', () => {
  it('the registered URI shows the consent page', async () => {
    const res = await authorize(REGISTERED, pkcePair().challenge);
    expect(res.status).toBe(200);
  });

  it('any other URI is an error page: never a redirect, never a code', async () => {
    const { challenge } = pkcePair();
    await fc.assert(
      fc.asyncProperty(
        variants.filter((v) => v !== REGISTERED && !v.startsWith('urn:ietf:wg:oauth:2.0:oob')),
        async (uri) => {
          const res = await authorize(uri, challenge);
          const body = await res.text();
          expect(res.status, uri).toBe(400);
          expect(res.headers.get('location'), uri).toBeNull();
          expect(body).not.toMatch(/name="csrf_token"/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a code is redeemed only with the exact URI it was issued for', async () => {
    const { verifier, challenge } = pkcePair();
    const approved = await alice.decide(
      {
        response_type: 'code',
        client_id: clientId,
        scope: 'data.data',
        redirect_uri: REGISTERED,
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      'approve',
    );
    expect(approved.status).toBe(302);
    const code = new URL(approved.headers.get('location') as string).searchParams.get('code') as string;
    const grant = { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId };
    // The first attempt, with a URI one slash away, fails and consumes the code (single use, README).
    const near = await postToken(t.origin, { ...grant, redirect_uri: `${REGISTERED}/` });
    expect(near.body.error).toBe('invalid_grant');
    const exact = await postToken(t.origin, { ...grant, redirect_uri: REGISTERED });
    expect(exact.body.error).toBe('invalid_grant');
  });
});
