import type { AuthInfo } from '../auth/request.js';

/** Hono environment of every emulator app and route module: `c.get('auth')` is set by the auth middleware. */
export interface AppEnv {
  Variables: { auth: AuthInfo };
}
