import { describe, expect, it } from 'vitest';
import { runCli } from '../src/bin.js';
import { capture } from './helpers/cli.js';
import { distBuilt, spawnBin } from './helpers/spawn-bin.js';

// --rate-limit off|N through the built bin (dist/bin.js, as users run it): `off` serves without the limiter (no
// X-RateLimit headers, never a 429), `N` limits each token to N requests per minute.

const get = (url: string) =>
  fetch(`${url}/datasets/demo.iris_species`, { headers: { Authorization: 'Bearer rdv_demo_admin_token' } });

describe.runIf(distBuilt)('redivis-emulator --rate-limit (built bin)', () => {
  it(
    '--rate-limit 3 answers the fourth request of a token with 429 and Retry-After',
    { timeout: 120_000 },
    async () => {
      const { url, stop } = await spawnBin(['--rate-limit', '3']);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await get(url)).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        const limited = await get(url);
        expect(limited.headers.get('X-RateLimit-Limit')).toBe('3');
        expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
      } finally {
        expect(await stop()).toBe(0);
      }
    },
  );

  it('--rate-limit off never limits and sends no rate-limit headers', { timeout: 120_000 }, async () => {
    const { url, stop } = await spawnBin(['--rate-limit', 'off']);
    try {
      const replies = await Promise.all(Array.from({ length: 20 }, () => get(url)));
      expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
      for (const r of replies) expect(r.headers.get('X-RateLimit-Limit')).toBeNull();
    } finally {
      expect(await stop()).toBe(0);
    }
  });
});

describe('redivis-emulator --rate-limit (usage)', () => {
  it('refuses anything but off or a positive integer (exit 2)', async () => {
    for (const value of ['0', 'none', '1.5', '']) {
      const bad = capture();
      expect(await runCli(['--seed', 'none', '--rate-limit', value], bad.io), value).toEqual({ exitCode: 2 });
      expect(bad.err.join('\n')).toMatch(/--rate-limit must be "off" or a positive integer/);
    }
  });
});
