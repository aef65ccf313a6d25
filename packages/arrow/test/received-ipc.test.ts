// receivedIpcBytes: the IPC bytes a batch arrived in, for consumers that pass batches on (the CLI's Parquet writer)
// without re-encoding them; read from the emulator over real HTTP.
import { createTransport, path } from '@redivis-ts/core';
import { type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { type RecordBatch, tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchToRows, receivedIpcBytes, toArrowBatchIterator } from '../src/index.js';

const OBS = path`/tables/${'demo.weather_sample:v1_0.daily_observations'}`;
let emu: RunningEmulator;
let client: ReturnType<typeof createTransport>;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'demo', seedRows: 3000, rateLimit: false });
  client = createTransport({ baseUrl: emu.url, apiToken: 'rdv_demo_alice_token' });
});
afterAll(() => emu?.stop());

async function batches(options: Parameters<typeof toArrowBatchIterator>[2] = {}): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const batch of toArrowBatchIterator(client, OBS, options)) out.push(batch);
  return out;
}

/** Whether `ipc` decodes to exactly the rows and types of `batch`. */
function sameRows(ipc: Uint8Array, batch: RecordBatch): boolean {
  const decoded = tableFromIPC(ipc);
  const types = (b: { schema: RecordBatch['schema'] }) => b.schema.fields.map((f) => `${f.name}:${f.type}`);
  if (decoded.batches.length !== 1 || JSON.stringify(types(decoded)) !== JSON.stringify(types(batch)))
    return false;
  const rows = (b: RecordBatch) => JSON.stringify(batchToRows(b, { int64: 'string' }));
  return rows(decoded.batches[0] as RecordBatch) === rows(batch);
}

describe('receivedIpcBytes', () => {
  it('gives each batch passed through unchanged the IPC stream it came in, which decodes to the same rows', async () => {
    const read = await batches();
    expect(read.length).toBeGreaterThan(0);
    let rows = 0;
    for (const batch of read) {
      const ipc = receivedIpcBytes(batch);
      expect(ipc).toBeInstanceOf(Uint8Array);
      expect(sameRows(ipc as Uint8Array, batch)).toBe(true);
      rows += batch.numRows;
    }
    expect(rows).toBe(3000);
  });

  it('gives none for a batch a batchPreprocessor returns, and never bytes of other rows after a cut', async () => {
    // Cut reads: a batch the client cut has no bytes, one the server sent short has its own; never stale ones.
    for (const maxResults of [1, 999, 1001, 2999]) {
      const cut = await batches({ maxResults });
      expect(cut.reduce((n, batch) => n + batch.numRows, 0)).toBe(maxResults);
      for (const batch of cut) {
        const ipc = receivedIpcBytes(batch);
        if (ipc) expect(sameRows(ipc, batch), `maxResults ${maxResults}`).toBe(true);
      }
    }

    const renamed = await batches({ batchPreprocessor: (b) => b.select(b.schema.fields.map((f) => f.name)) });
    expect(renamed.length).toBeGreaterThan(0);
    for (const batch of renamed) expect(receivedIpcBytes(batch)).toBeUndefined();
  });
});
