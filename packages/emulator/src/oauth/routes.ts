import { Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';

/** OAuth endpoints and pages on the site origin (placeholder until the OAuth module lands). */
export function oauthRoutes(_ctx: EmulatorContext): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
