import { Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';

/** versions endpoints (spec §5). */
export function versionsRoutes(_ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
