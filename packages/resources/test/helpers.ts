import { createTransport } from '@redivis-ts/core';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@redivis-ts/emulator';
import { createRedivis, type Platform, type Redivis } from '../src/index.js';

/** One emulator per test file, with a small seed; `as(token)` builds the object model for another demo user. */
export interface TestEnv {
  emu: RunningEmulator;
  redivis: Redivis;
  as(token: string, platform?: Platform): Redivis;
  stop(): Promise<void>;
}

/** Start an in-process emulator (127.0.0.1, port 0) and an object model authenticated as demo_admin. */
export async function startTestEnv(platform: Platform = {}, options: EmulatorOptions = {}): Promise<TestEnv> {
  const emu = await startEmulator({ seed: 'demo', seedRows: 200, rateLimit: false, ...options });
  const as = (token: string, p: Platform = platform) =>
    createRedivis(createTransport({ baseUrl: emu.url, apiToken: token, retry: { limit: 0 } }), p);
  return { emu, redivis: as('rdv_demo_admin_token'), as, stop: () => emu.stop() };
}

/** The write tests' emulator and demo_admin client: retries on with short delays, so injected faults retry fast. */
export async function startWriteEnv(
  options: EmulatorOptions,
): Promise<{ emu: RunningEmulator; redivis: Redivis }> {
  const emu = await startEmulator({ seed: 'demo', rateLimit: false, ...options });
  const transport = createTransport({
    baseUrl: emu.url,
    apiToken: 'rdv_demo_admin_token',
    retry: { initialDelayMs: 5, backoffLimitMs: 20 },
  });
  return { emu, redivis: createRedivis(transport) };
}

let newDatasets = 0;
/** A new, unreleased dataset of demo_admin (named `${prefix}_…`) holding one created, empty table. */
export async function newDatasetTable(redivis: Redivis, prefix: string, name = 't') {
  const dataset = redivis.user('demo_admin').dataset(`${prefix}_${Date.now()}_${newDatasets++}`);
  await dataset.create();
  const table = dataset.table(name);
  await table.create();
  return { dataset, table };
}
