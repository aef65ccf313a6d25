import { createTransport, RateLimitError } from '@redivis-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ALICE } from './contract-helpers.js';
import { distBuilt, type SpawnedEmulator, spawnBin } from './helpers/spawn-bin.js';

// A 429 (an injected fault or the real rate limit) is answered before the route reads the request body. The client
// must still see the 429 with Retry-After, not a reset connection (EPIPE/ECONNRESET while it was still sending the
// body: reliability chaos seed 164). The emulator runs in its own process, as in the chaos suite, so the answer
// really overtakes the body.

const UPLOADS = '/tables/demo.iris_species:next.iris/uploads';

/** An ~800 KB multipart upload as the upload package sends it (metadata part + file part). */
function bigUpload(): FormData {
  const form = new FormData();
  form.append('metadata', new Blob([JSON.stringify({ name: 'big.csv', type: 'delimited' })]), 'metadata');
  form.append('data', new Blob([`a,b\n${'12345,abcdefgh\n'.repeat(54_000)}`]), 'big.csv');
  return form;
}

/** Posts the big upload through core's transport (ky) without retries; resolves what the caller sees. */
async function postBig(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ ok?: unknown; error?: unknown }> {
  const client = createTransport({ baseUrl: url, apiToken: token, retry: false, headers });
  return client.request({ method: 'POST', path: UPLOADS, body: bigUpload() }).then(
    (body) => ({ ok: body }),
    (error: unknown) => ({ error }),
  );
}

function expectRateLimited(outcome: { error?: unknown }) {
  expect(outcome.error, String(outcome.error)).toBeInstanceOf(RateLimitError);
  expect((outcome.error as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(0);
}

describe.runIf(distBuilt)('a 429 answered before the request body was read', () => {
  let emu: SpawnedEmulator;
  beforeAll(async () => {
    emu = await spawnBin(['--faults', '--rate-limit', '3']);
    // The target version must exist (and uploads be accepted) for the unfaulted control below.
    const created = await fetch(`${emu.url}/datasets/demo.iris_species/versions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(created.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    expect(await emu?.stop()).toBe(0);
  });

  it(
    'reaches the client as 429 with Retry-After under an injected fault, every time',
    { timeout: 120_000 },
    async () => {
      // Three times in a row on the same keep-alive pool: the connection must stay usable after each.
      const fault = {
        'X-Redivis-Emulator-Fault': JSON.stringify({ status: 429, retryAfterSec: 2, times: 3 }),
      };
      // ALICE is used only to arm the fault: the admin's bucket (3 per minute) is kept for the rate-limit case.
      for (let i = 0; i < 3; i++) {
        const outcome = await postBig(emu.url, ALICE, i === 0 ? fault : {});
        expectRateLimited(outcome);
        expect((outcome.error as RateLimitError).retryAfterMs).toBe(2000);
      }
    },
  );

  it(
    'reaches the client as 429 with Retry-After when the real rate limit is hit',
    { timeout: 120_000 },
    async () => {
      // Bob may not upload (403), but his three requests spend his bucket; the fourth is answered 429 before any body.
      const results: unknown[] = [];
      for (let i = 0; i < 4; i++) results.push(await postBig(emu.url, 'rdv_demo_bob_token'));
      expect(results.slice(0, 3).map((r) => (r as { error?: { status?: number } }).error?.status)).toEqual([
        403, 403, 403,
      ]);
      expectRateLimited(results[3] as { error?: unknown });
      expect((results[3] as { error: RateLimitError }).error.retryAfterMs).toBeGreaterThan(0);
    },
  );
});
