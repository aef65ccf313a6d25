import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_HEADER, type RunningEmulator, startEmulator } from '../src/index.js';
import { ALICE } from './contract-helpers.js';

const IRIS = '/datasets/demo.iris_species';
const IRIS_ROWS = '/tables/demo.iris_species.iris/rows';

function get(emu: RunningEmulator, path: string, fault?: unknown) {
  return fetch(`${emu.url}${path}`, {
    headers: {
      Authorization: `Bearer ${ALICE}`,
      ...(fault === undefined ? {} : { [FAULT_HEADER]: JSON.stringify(fault) }),
    },
  });
}

/** Reads a body to its end; resolves with the bytes read, or rejects when the connection drops mid-body. */
async function drain(res: Response): Promise<number> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let n = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) return n;
    n += next.value.byteLength;
  }
}

describe('fault injection off (the default)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'demo', seedRows: 10 });
  });
  afterAll(() => emu.stop());

  it('ignores the fault header entirely', async () => {
    const res = await get(emu, IRIS, { status: 503, times: 5 });
    expect(res.status).toBe(200);
    expect((await get(emu, IRIS)).status).toBe(200);
    expect((await get(emu, IRIS, 'not json')).status).toBe(200);
    expect(emu.ctx.faults.applied).toEqual([]);
  });
});

describe('fault injection on', () => {
  let emu: RunningEmulator;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'emu-faults-'));
    emu = await startEmulator({
      seed: 'demo',
      seedRows: 10,
      dataDir,
      faults: { rules: [{ route: 'GET /tables/*/rows', dropAfterBytes: 100, times: 1 }] },
    });
  });
  afterAll(async () => {
    await emu.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('an option rule drops a rows response after N bytes, once', async () => {
    const cut = await get(emu, IRIS_ROWS);
    expect(cut.status).toBe(200);
    const error = await drain(cut).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const whole = await get(emu, IRIS_ROWS);
    const text = await whole.text();
    expect(text.trim().split('\n')).toHaveLength(150);
    expect(emu.ctx.faults.applied.map((a) => a.path)).toEqual(['/tables/demo.iris_species.iris/rows']);
  });

  it('dropAfterBytes on a body shorter than the read-ahead still sends the head and exactly N bytes', async () => {
    // A small dataset representation: the whole body fits in the chunks the server reads before the head.
    const res = await get(emu, IRIS, { dropAfterBytes: 10 });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    const error = await (async () => {
      for (;;) {
        const next = await reader.read();
        if (next.done) return undefined;
        received += next.value.byteLength;
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(received).toBe(10);
  });

  it('a header answers 503 (or 429) with Retry-After for this and the next K-1 requests of the route', async () => {
    const first = await get(emu, IRIS, { status: 503, times: 2, retryAfterSec: 7 });
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toMatchObject({ error: 'service_unavailable', status: 503 });
    // Another route is untouched.
    expect((await get(emu, '/datasets/demo.weather_sample')).status).toBe(200);
    expect((await get(emu, IRIS)).status).toBe(503);
    expect((await get(emu, IRIS)).status).toBe(200);

    const limited = await get(emu, IRIS, { status: 429 });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect((await limited.json()).error).toBe('rate_limit_exceeded');
    expect((await get(emu, IRIS)).status).toBe(200);
  });

  it('a header rule may target another route with a glob', async () => {
    expect((await get(emu, IRIS, { route: 'GET /tables/**', status: 503 })).status).toBe(200);
    expect((await get(emu, '/tables/demo.iris_species.iris')).status).toBe(503);
    expect((await get(emu, '/tables/demo.iris_species.iris')).status).toBe(200);
  });

  it('adds latency (never less than asked)', async () => {
    const started = performance.now();
    const res = await get(emu, IRIS, { latencyMs: 300 });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('malformed header rules are a 400 that names the problem, and arm nothing', async () => {
    const bad = await get(emu, IRIS, { status: 500 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error_description).toMatch(/X-Redivis-Emulator-Fault: status/);
    const notJson = await fetch(`${emu.url}${IRIS}`, { headers: { [FAULT_HEADER]: '{' } });
    expect(notJson.status).toBe(400);
    const unknown = await get(emu, IRIS, { explode: true });
    expect(unknown.status).toBe(400);
    const route = await get(emu, IRIS, { route: 'tables', status: 503 });
    expect(route.status).toBe(400);
    expect((await get(emu, IRIS)).status).toBe(200);
  });

  it('armed rules survive a restart on the same data dir', async () => {
    expect((await get(emu, IRIS, { status: 429, times: 3 })).status).toBe(429);
    await emu.stop();
    emu = await startEmulator({ seed: 'demo', dataDir, faults: { enabled: true } });
    expect((await get(emu, IRIS)).status).toBe(429);
    expect((await get(emu, IRIS)).status).toBe(429);
    expect((await get(emu, IRIS)).status).toBe(200);
    // The option rule of the first start is not in this emulator's options: rows flow whole.
    expect((await (await get(emu, IRIS_ROWS)).text()).trim().split('\n')).toHaveLength(150);
  });
});

describe('fault options', () => {
  it('refuses a malformed rule at start with a RangeError naming it', async () => {
    await expect(
      startEmulator({ seed: 'none', faults: { rules: [{ status: 418 as 429 }] } }),
    ).rejects.toThrow(/faults\.rules\[0\]: status/);
    await expect(
      startEmulator({ seed: 'none', faults: { rules: [{ route: 'no slash', status: 503 }] } }),
    ).rejects.toThrow(RangeError);
  });
});
