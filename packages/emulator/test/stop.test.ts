import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.js';

const TOKEN = 'rdv_demo_admin_token';
const AUTH = { Authorization: `Bearer ${TOKEN}` };

// A failure detector, not a timing assertion: stop() either resolves or hangs forever. 60 s tells them apart even
// on a loaded 2-core runner, where closing DuckDB under a running query can take seconds.
async function stopsWithin(emu: RunningEmulator, ms = 60_000): Promise<'stopped' | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), ms);
  });
  try {
    return await Promise.race([emu.stop().then(() => 'stopped' as const), hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function readSession(emu: RunningEmulator, table: string, streams = 1) {
  const res = await fetch(`${emu.url}/tables/${encodeURIComponent(table)}/readSessions`, {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'application/json' },
    body: JSON.stringify({ format: 'arrow', requestedStreamCount: streams }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { numRows: number; streams: { id: string }[] };
}

const WEATHER = 'demo.weather_sample.daily_observations';
const start = (dataDir?: string) =>
  startEmulator({ seed: 'demo', seedRows: 20_000, rateLimit: false, dataDir });

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'emulator-stop-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('stop()', () => {
  it('resolves right after a table was read the way the SDK reads it (read session, then the stream)', async () => {
    const emu = await start();
    const session = await readSession(emu, 'demo.iris_species.iris');
    expect(session.numRows).toBe(150);
    const res = await fetch(`${emu.url}/readStreams/${session.streams[0]?.id}`, { headers: AUTH });
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(150 * 8);
    expect(await stopsWithin(emu)).toBe('stopped');
  });

  it('resolves after a fully read stream over a kept-alive connection', async () => {
    const emu = await start();
    const session = await readSession(emu, WEATHER);
    const res = await fetch(`${emu.url}/readStreams/${session.streams[0]?.id}`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    expect(await stopsWithin(emu)).toBe('stopped');
  });

  it('resolves while a stream is only partly consumed', async () => {
    const emu = await start();
    const session = await readSession(emu, WEATHER);
    const res = await fetch(`${emu.url}/readStreams/${session.streams[0]?.id}`, { headers: AUTH });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false);
    expect(await stopsWithin(emu)).toBe('stopped');
    // The client sees the stream end (cut or finished), never a stall.
    await reader.cancel().catch(() => undefined);
  });

  it('resolves after a client aborted a stream', async () => {
    const emu = await start();
    const session = await readSession(emu, WEATHER, 2);
    const aborts = session.streams.map(async (stream) => {
      const controller = new AbortController();
      const res = await fetch(`${emu.url}/readStreams/${stream.id}`, {
        headers: AUTH,
        signal: controller.signal,
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      controller.abort();
      await reader.read().catch(() => undefined);
    });
    await Promise.all(aborts);
    expect(await stopsWithin(emu)).toBe('stopped');
  });

  it('resolves after HEAD requests on streamed endpoints (whose bodies Hono drops unread)', async () => {
    const emu = await start();
    const session = await readSession(emu, WEATHER);
    const head = await fetch(`${emu.url}/readStreams/${session.streams[0]?.id}`, {
      method: 'HEAD',
      headers: AUTH,
    });
    expect(head.status).toBe(200);
    const rows = await fetch(`${emu.url}/tables/${WEATHER}/rows`, { method: 'HEAD', headers: AUTH });
    expect(rows.status).toBe(200);
    expect(await stopsWithin(emu)).toBe('stopped');
  });

  it('resolves while a query is running, and the data dir still opens with its data afterwards', async () => {
    const emu = await start(dataDir);
    // Billions of row triples: it runs until stop() interrupts it.
    const sql = `SELECT count(*) AS n FROM ${WEATHER} a, ${WEATHER} b, ${WEATHER} c
      WHERE a.station_id || b.station_id || c.station_id = 'none'`;
    const res = await fetch(`${emu.url}/queries`, {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: sql, timeoutMs: 0 }),
    });
    expect(res.status).toBe(200);
    const query = (await res.json()) as { id: string; status: string };
    expect(['queued', 'running']).toContain(query.status);
    expect(await stopsWithin(emu)).toBe('stopped');

    const again = await start(dataDir);
    try {
      const after = await fetch(`${again.url}/queries/${query.id}`, { headers: AUTH });
      expect(after.status).toBe(200);
      expect(await after.json()).toMatchObject({
        status: 'failed',
        errorMessage: expect.stringContaining('stopped before the query finished'),
      });
      const session = await readSession(again, WEATHER);
      expect(session.numRows).toBe(20_000);
    } finally {
      expect(await stopsWithin(again)).toBe('stopped');
    }
  });
});
