import type { RunningEmulator } from '../src/index.js';

/** Demo token values (see src/seed/users.ts). */
export const ADMIN = 'rdv_demo_admin_token';
export const ALICE = 'rdv_demo_alice_token';
export const BOB = 'rdv_demo_bob_token';

/** Options of {@link call}. */
export interface CallInit {
  token?: string | null;
  method?: string;
  json?: unknown;
  body?: string;
}

/** A plain fetch against the emulator's API base; `path` is appended verbatim (already encoded). */
export async function call(emu: RunningEmulator, path: string, init: CallInit = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? ADMIN}`;
  let body: string | undefined = init.body;
  if (init.json !== undefined) body = JSON.stringify(init.json);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(`${emu.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
}

/** {@link call} then JSON, asserting nothing about the status. */
export async function json<T = Record<string, unknown>>(
  emu: RunningEmulator,
  path: string,
  init?: CallInit,
): Promise<{ status: number; body: T; res: Response }> {
  const res = await call(emu, path, init);
  return { status: res.status, body: (await res.json()) as T, res };
}

/** Decodes the error payload header of a HEAD response. */
export function headError(res: Response): Record<string, unknown> {
  return JSON.parse(decodeURIComponent(res.headers.get('x-redivis-error-payload') ?? 'null'));
}
