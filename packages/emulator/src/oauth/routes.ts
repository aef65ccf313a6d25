import { Hono } from 'hono';
import type { EmulatorContext } from '../context.js';
import { ensureOfficialClients } from './apps.js';
import { authorizeRoutes } from './authorize.js';
import { deviceRoutes } from './device.js';
import { loginRoutes } from './login.js';
import { settingsRoutes } from './settings.js';
import { tokenRoutes } from './token.js';

/**
 * The site-origin routes of the emulator (mounted at `/`): `/login`, `/logout`, `/oauth/authorize`,
 * `/oauth/device_authorization`, `/oauth/device`, `/oauth/token`, `/oauth/revoke` and `/settings/tokens`.
 * Registers the official public clients as startup work.
 */
export function oauthRoutes(ctx: EmulatorContext): Hono {
  const oauth = ctx.options.oauth;
  ctx.onStartup(() => ensureOfficialClients(ctx));
  const app = new Hono();
  app.route('/', loginRoutes(ctx, oauth));
  app.route('/', authorizeRoutes(ctx, oauth));
  app.route('/', deviceRoutes(ctx, oauth));
  app.route('/', tokenRoutes(ctx, oauth));
  app.route('/', settingsRoutes(ctx));
  return app;
}
