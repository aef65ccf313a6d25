import { Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';

/** tables endpoints (spec §5). */
export function tablesRoutes(_ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
