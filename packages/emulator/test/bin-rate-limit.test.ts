import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/bin.js';
import { capture } from './helpers/cli.js';

// --rate-limit off|N through the built bin (dist/bin.js, as users run it): `off` serves without the limiter (no
// X-RateLimit headers, never a 429), `N` limits each token to N requests per minute.

const distBin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Starts the built bin with `args`; resolves its API URL and the child (the caller stops it). */
async function spawnBin(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [distBin, '--seed', 'demo', '--seed-rows', '5', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve) => lines.once('line', resolve));
  expect(first).toMatch(/^Redivis emulator listening on /);
  return { url: first.replace('Redivis emulator listening on ', ''), child };
}

async function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

const get = (url: string) =>
  fetch(`${url}/datasets/demo.iris_species`, { headers: { Authorization: 'Bearer rdv_demo_admin_token' } });

describe.runIf(existsSync(distBin))('redivis-emulator --rate-limit (built bin)', () => {
  it(
    '--rate-limit 3 answers the fourth request of a token with 429 and Retry-After',
    { timeout: 120_000 },
    async () => {
      const { url, child } = await spawnBin(['--rate-limit', '3']);
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++) statuses.push((await get(url)).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
        const limited = await get(url);
        expect(limited.headers.get('X-RateLimit-Limit')).toBe('3');
        expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
      } finally {
        expect(await stop(child)).toBe(0);
      }
    },
  );

  it('--rate-limit off never limits and sends no rate-limit headers', { timeout: 120_000 }, async () => {
    const { url, child } = await spawnBin(['--rate-limit', 'off']);
    try {
      const replies = await Promise.all(Array.from({ length: 20 }, () => get(url)));
      expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
      for (const r of replies) expect(r.headers.get('X-RateLimit-Limit')).toBeNull();
    } finally {
      expect(await stop(child)).toBe(0);
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
