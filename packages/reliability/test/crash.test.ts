import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from './crash/actions.js';
import { crashAction } from './crash/plans.js';
import { type EmulatorProcess, startEmulatorProcess } from './helpers/emulator-process.js';
import { Prng } from './helpers/prng.js';

/**
 * The crash suite: at each kill point a seeded action (an upload while its body arrives or is processed, a
 * resumable upload mid-chunk, a release, dataset and table edits) is started against the emulator, which gets
 * kill -9 after a random delay; a new process on the same data dir must then hold everything the killed one
 * acknowledged, nothing half-applied, interrupted uploads `failed` (README: startup recovery), and resumable
 * uploads resumable. `CRASH_POINTS` (default 4, the CI slice), `CRASH_SEED`, `CRASH_REPLAY=seed[,seed…]`.
 */
const POINTS = Number(process.env.CRASH_POINTS ?? 4);
const FIRST = Number(process.env.CRASH_SEED ?? 1);
const SEEDS = process.env.CRASH_REPLAY
  ? process.env.CRASH_REPLAY.split(',').map(Number)
  : Array.from({ length: POINTS }, (_, i) => FIRST + i);
const TOKEN = 'rdv_crash_admin_token_0123456789abcdef';

let dataDir: string;
let emu: EmulatorProcess | undefined;
const start = async () => {
  emu = await startEmulatorProcess(['--data-dir', dataDir, '--seed-rows', '50', '--token', TOKEN]);
  return emu;
};

const api: Api = Object.assign(
  async (
    path: string,
    init: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}`, ...init.headers };
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(`${emu?.url}${path}`, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // NDJSON rows and OK texts stay text.
    }
    return { status: res.status, body: parsed, headers: res.headers };
  },
  { origin: () => emu?.origin ?? '' },
);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'redivis-crash-'));
  await start();
}, 120_000);
afterAll(async () => {
  await emu?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('kill -9 of the emulator', () => {
  it(`keeps what it acknowledged and nothing half-applied at ${SEEDS.length} kill points`, async () => {
    const failures: string[] = [];
    const kinds: Record<string, number> = {};
    for (const seed of SEEDS) {
      const rng = new Prng(seed);
      const action = crashAction(rng, `crash_${seed}_${Date.now().toString(36)}`);
      const kind = action.name.replace(/[\d,]+ /g, '').trim();
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      try {
        await action.prepare(api);
        const delay = rng.int(0, 600);
        const running = action.start(api);
        await new Promise((resolve) => setTimeout(resolve, delay));
        await emu?.kill9();
        await running;
        await start();
        await action.check(api);
      } catch (e) {
        console.error(`[crash] failing seed ${seed} (${action.name}): ${(e as Error).message}`);
        failures.push(
          `seed ${seed} (${action.name}): ${(e as Error).message}\n  replay: CRASH_REPLAY=${seed} npx vitest run packages/reliability/test/crash.test.ts`,
        );
        if (emu?.child.exitCode !== null || emu?.child.signalCode !== null) await start();
      }
    }
    console.log(`[crash] ${JSON.stringify({ killPoints: SEEDS.length, kinds, failures: failures.length })}`);
    expect(failures).toEqual([]);
  }, 3_600_000);
});
