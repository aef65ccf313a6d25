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
