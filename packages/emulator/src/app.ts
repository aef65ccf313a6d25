import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { authMiddleware, hashToken } from './auth/request.js';
import type { EmulatorContext } from './context.js';
import { bodyLimit } from './http/body-limit.js';
import { readsSocketBody } from './http/request-body.js';
import type { AppEnv } from './http/env.js';
import { ApiError, notFound, writeError } from './http/errors.js';
import { faultMiddleware } from './faults/middleware.js';
import { FAULT_HEADER } from './faults/options.js';
import { oauthRoutes } from './oauth/routes.js';
import { accessRoutes } from './routes/access.js';
import { datasetsRoutes } from './routes/datasets.js';
import { membersRoutes } from './routes/members.js';
import { notebookJobsRoutes } from './routes/notebook-jobs.js';
import { organizationsRoutes } from './routes/organizations.js';
import { queriesRoutes } from './routes/queries.js';
import { readSessionsRoutes } from './routes/read-sessions.js';
import { readStreamsRoutes } from './routes/read-streams.js';
import { exportsRoutes } from './routes/exports.js';
import { legacyUploadsRoutes } from './routes/legacy-uploads.js';
import { rawFileDownloadsRoutes } from './routes/raw-file-downloads.js';
import { rawFileUploadsRoutes } from './routes/raw-file-uploads.js';
import { rawFilesRoutes } from './routes/raw-files.js';
import { secretsRoutes } from './routes/secrets.js';
import { tablesRoutes } from './routes/tables.js';
import { tempUploadBytesRoutes, tempUploadsRoutes } from './routes/temp-uploads.js';
import { uploadReadSessionsRoutes } from './routes/upload-read-sessions.js';
import { uploadsRoutes } from './routes/uploads.js';
import { uploadsReadRoutes } from './routes/uploads-read.js';
import { usersRoutes } from './routes/users.js';
import { variablesRoutes } from './routes/variables.js';
import { versionsRoutes } from './routes/versions.js';
import { workflowDatasourcesRoutes } from './routes/workflow-datasources.js';
import { workflowNodeListsRoutes } from './routes/workflow-node-lists.js';
import { workflowNodesRoutes } from './routes/workflow-nodes.js';
import { workflowParametersRoutes } from './routes/workflow-parameters.js';
import { workflowsRoutes } from './routes/workflows.js';

/** A route module factory: returns a Hono app whose paths are relative to `/api/v1`. */
export type RouteModule = (ctx: EmulatorContext) => Hono<AppEnv>;

/**
 * API route modules, mounted in order under `/api/v1`. To add a module: write `src/routes/<name>.ts` exporting
 * `<name>Routes(ctx)`, import it above and append it here (one line each).
 */
const API_MODULES: readonly RouteModule[] = [
  organizationsRoutes,
  usersRoutes,
  membersRoutes,
  accessRoutes,
  datasetsRoutes,
  versionsRoutes,
  tablesRoutes,
  variablesRoutes,
  workflowsRoutes,
  workflowParametersRoutes,
  workflowDatasourcesRoutes,
  workflowNodeListsRoutes,
  workflowNodesRoutes,
  notebookJobsRoutes,
  secretsRoutes,
  uploadsReadRoutes,
  uploadReadSessionsRoutes,
  uploadsRoutes,
  tempUploadsRoutes,
  exportsRoutes,
  rawFilesRoutes,
  rawFileDownloadsRoutes,
  rawFileUploadsRoutes,
  legacyUploadsRoutes,
  queriesRoutes,
  readSessionsRoutes,
  readStreamsRoutes,
];

const EXPOSED_HEADERS = [
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'Retry-After',
  'X-Redivis-Error-Payload',
  'X-Redivis-Warning',
  'Content-Disposition',
  'Content-Range',
  'Content-Digest',
  'Digest',
  'x-goog-hash',
  'X-Redivis-Filename',
  'Location',
  'Range',
];

function rateLimit(ctx: EmulatorContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (ctx.options.rateLimit === false) return next();
    const authorization = c.req.header('Authorization');
    // Keyed by a hash of the credential (never the credential itself), else by client address.
    let key: string;
    if (authorization) key = `t:${hashToken(authorization)}`;
    else {
      let address = 'unknown';
      try {
        address = getConnInfo(c).remote.address ?? 'unknown';
      } catch {
        // Not running on the Node adapter (app.request in tests): one anonymous bucket.
      }
      key = `a:${address}`;
    }
    const r = ctx.rateLimiter.hit(key);
    c.header('X-RateLimit-Limit', String(r.limit));
    c.header('X-RateLimit-Remaining', String(r.remaining));
    if (!r.allowed) {
      throw new ApiError(
        429,
        'rate_limit_exceeded',
        'Too many requests, please try again later.',
        {},
        { 'Retry-After': String(Math.max(1, Math.ceil(r.resetInMs / 1000))) },
      );
    }
    await next();
    c.res.headers.set('X-RateLimit-Limit', String(r.limit));
    c.res.headers.set('X-RateLimit-Remaining', String(r.remaining));
  };
}

/**
 * Builds the emulator's HTTP app: CORS (any origin, Authorization allowed), then under `/api/v1` rate limiting,
 * authentication and the API route modules; OAuth and settings pages at the site root. Every error leaves
 * through {@link writeError}.
 */
export function createApp(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // `/projects` is the API's older name for workflows, still used by the official JS client: every workflow route
  // is served under it by re-dispatching the request to its `/workflows` path (before any other middleware, so the
  // request is counted, authenticated and fault-injected once).
  app.use('/api/v1/projects/*', async (c) => {
    const url = new URL(c.req.url);
    url.pathname = `/api/v1/workflows/${url.pathname.slice('/api/v1/projects/'.length)}`;
    return app.fetch(new Request(url, c.req.raw), c.env);
  });
  app.use(
    '*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: [
        'Authorization',
        'Content-Type',
        'Content-Range',
        'X-Redivis-Client',
        'X-Redivis-Client-Version',
        'x-upload-content-length',
        'x-goog-resumable',
        'If-Modified-Since',
        'Range',
        FAULT_HEADER,
      ],
      exposeHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    }),
  );

  const limitBody = bodyLimit(ctx.options.bodyLimits.json);
  app.use('*', (c, next) => (readsSocketBody(c) ? next() : limitBody(c, next)));

  // Hono answers HEAD by running the GET handler and dropping its body without cancelling it; a streamed body
  // (listRows, read streams) would keep its DuckDB connection until stop. Cancelling releases it now.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.method === 'HEAD') await c.res.body?.cancel().catch(() => undefined);
  });

  // Before the API's own middleware, so injected statuses and latency hit rate-limited and anonymous requests too,
  // and outside /api/v1 (temp-upload URLs) as well.
  app.use('*', faultMiddleware(ctx.faults));

  const api = new Hono<AppEnv>();
  api.use('*', rateLimit(ctx));
  api.use('*', authMiddleware(ctx));
  for (const module of API_MODULES) api.route('/', module(ctx));
  api.all('*', (c) => {
    throw notFound(`No API endpoint ${c.req.method} ${new URL(c.req.url).pathname}`);
  });

  app.route('/api/v1', api);
  app.route('/', oauthRoutes(ctx));
  app.route('/', tempUploadBytesRoutes(ctx));
  app.notFound((c) => writeError(c, notFound(`No route ${c.req.method} ${new URL(c.req.url).pathname}`)));
  app.onError((err, c) => writeError(c, err));
  return app;
}
