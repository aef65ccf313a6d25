import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { createApp } from './app.js';
import { FaultInjector } from './faults/injector.js';
import { resolveFaultOptions } from './faults/options.js';
import { DEFAULT_JSON_BODY_BYTES, DEFAULT_UPLOAD_BODY_BYTES } from './http/body-limit.js';
import { resolveOAuthOptions } from './oauth/config.js';
import { ensureFixedAdminToken, listKnownTokens } from './auth/tokens.js';
import {
  createRateLimiter,
  type EmulatorContext,
  type EmulatorOptions,
  type ResolvedOptions,
} from './context.js';
import { seedDemo } from './seed/demo.js';
import { settlesWithin } from './settle.js';
import { Db } from './store/db.js';
import { migrate } from './store/migrations/index.js';

/** An API token the running emulator accepts, as printed by the bin. */
export interface EmulatorToken {
  /** Name of the user the token acts for. */
  userName: string;
  /** Token name. */
  name: string;
  /** The token value (only tokens whose value the emulator knows: the demo seed's and `options.token`). */
  value: string;
  /** The OAuth scopes the token grants, e.g. `data.data`. */
  scopes: string[];
}

/** A running emulator. */
export interface RunningEmulator {
  /** API base URL: origin + `/api/v1`, e.g. `http://127.0.0.1:5555/api/v1`. */
  url: string;
  /** Site origin (OAuth endpoints and pages live here). */
  origin: string;
  /** Tokens accepted whose values are known. */
  tokens: EmulatorToken[];
  /** The context (for tests and embedding: direct database access). */
  ctx: EmulatorContext;
  /** Stops the listener, closes the database, removes the temporary data dir (if one was made). */
  stop(): Promise<void>;
}

/** How long stop() lets each phase (in-flight requests, background jobs, open streams) finish before cutting it. */
const STOP_GRACE_MS = 2_000;

/**
 * Stops accepting connections and drops idle keep-alive sockets at once (server.close() alone waits for them), lets
 * requests in flight finish for up to `graceMs`, then destroys the sockets left (a client that stopped reading a
 * stream would otherwise hold the server open forever).
 */
async function closeServer(server: ServerType, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const http = server as Partial<Pick<Server, 'closeIdleConnections' | 'closeAllConnections'>>;
  http.closeIdleConnections?.();
  if (!(await settlesWithin(closed, graceMs))) http.closeAllConnections?.();
  await closed;
}

/** Database file inside the data directory. */
export const DATABASE_FILE = 'redivis.duckdb';

function resolveUploadLimits(u: EmulatorOptions['uploads']): ResolvedOptions['uploads'] {
  const limits = { maxBytes: u?.maxBytes ?? 50 * 2 ** 30 };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`uploads.${k} must be a positive integer`);
  }
  return limits;
}

function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`Invalid port: ${port}`);
  const seedRows = options.seedRows ?? 100_000;
  if (!Number.isInteger(seedRows) || seedRows < 0) throw new RangeError(`Invalid seedRows: ${seedRows}`);
  const seed = options.seed ?? 'demo';
  if (seed !== 'demo' && seed !== 'none') throw new RangeError(`Invalid seed: ${String(seed)}`);
  if (options.token !== undefined && !/^\S+$/.test(options.token)) {
    throw new RangeError('The fixed token must be a non-empty value without spaces');
  }
  const rl = options.rateLimit;
  const rateLimit = rl === false ? false : { limit: rl?.limit ?? 1000, windowMs: rl?.windowMs ?? 60_000 };
  if (rateLimit && (!(rateLimit.limit > 0) || !(rateLimit.windowMs > 0))) {
    throw new RangeError('rateLimit.limit and rateLimit.windowMs must be positive');
  }
  const bodyLimits = {
    json: options.bodyLimits?.json ?? DEFAULT_JSON_BODY_BYTES,
    upload: options.bodyLimits?.upload ?? DEFAULT_UPLOAD_BODY_BYTES,
  };
  if (!(bodyLimits.json > 0) || !(bodyLimits.upload > 0)) {
    throw new RangeError('bodyLimits.json and bodyLimits.upload must be positive');
  }
  const queryTimeLimitMs = options.queryTimeLimitMs ?? 300_000;
  const queryOutputLimitBytes = options.queryOutputLimitBytes ?? 1_073_741_824;
  if (!Number.isSafeInteger(queryTimeLimitMs) || queryTimeLimitMs <= 0) {
    throw new RangeError(`Invalid queryTimeLimitMs: ${queryTimeLimitMs}`);
  }
  if (!Number.isSafeInteger(queryOutputLimitBytes) || queryOutputLimitBytes < 0) {
    throw new RangeError(`Invalid queryOutputLimitBytes: ${queryOutputLimitBytes}`);
  }
  const notebookJobs = {
    queuedMs: options.notebookJobs?.queuedMs ?? 500,
    runningMs: options.notebookJobs?.runningMs ?? 500,
  };
  for (const [key, ms] of Object.entries(notebookJobs)) {
    if (
      !(ms >= 0) ||
      (Number.isFinite(ms) && !Number.isSafeInteger(ms)) ||
      (key === 'queuedMs' && ms === Infinity)
    ) {
      throw new RangeError(`Invalid notebookJobs.${key}: ${ms}`);
    }
  }
  return {
    port,
    host: options.host ?? '127.0.0.1',
    seed,
    seedRows,
    token: options.token,
    rateLimit,
    faults: resolveFaultOptions(options.faults),
    oauth: resolveOAuthOptions(options.oauth),
    bodyLimits,
    uploads: resolveUploadLimits(options.uploads),
    queryTimeLimitMs,
    queryOutputLimitBytes,
    notebookJobs,
  };
}

/**
 * Starts a local Redivis API server on DuckDB.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ seed: 'demo', seedRows: 1000 });
 * const res = await fetch(`${emu.url}/organizations/demo/datasets`, {
 *   headers: { Authorization: `Bearer ${emu.tokens[0].value}` },
 * });
 * await emu.stop();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  const temporary = options.dataDir === undefined;
  const dataDir = temporary
    ? await mkdtemp(join(tmpdir(), 'redivis-emulator-'))
    : resolve(options.dataDir as string);
  await mkdir(dataDir, { recursive: true });
  const now = options.now ?? (() => Date.now());
  const db = await Db.open(join(dataDir, DATABASE_FILE));
  const startup: Array<() => Promise<void>> = [];
  const stopping: Array<() => Promise<void> | void> = [];
  const ctx: EmulatorContext = {
    db,
    options: resolved,
    dataDir,
    rateLimiter: createRateLimiter(resolved.rateLimit || { limit: 1, windowMs: 1 }, now),
    now,
    origin: '',
    faults: new FaultInjector(resolved.faults, dataDir),
    onStartup: (task) => startup.push(task),
    onStop: (task) => stopping.push(task),
  };
  let server: ServerType | undefined;
  try {
    await migrate(db);
    const app = createApp(ctx);
    for (const task of startup) await task();
    if (resolved.seed === 'demo') await seedDemo(ctx);
    if (resolved.token !== undefined) await ensureFixedAdminToken(ctx, resolved.token);
    const address = await new Promise<AddressInfo>((resolveListen, reject) => {
      const s = serve({ fetch: app.fetch, port: resolved.port, hostname: resolved.host }, (info) =>
        resolveListen(info),
      );
      s.once('error', reject);
      server = s;
    });
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    ctx.origin = `http://${host}:${address.port}`;
  } catch (e) {
    server?.close();
    await db.close().catch(() => undefined);
    if (temporary) await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  const tokens = await listKnownTokens(ctx);
  let stopped: Promise<void> | undefined;
  return {
    url: `${ctx.origin}/api/v1`,
    origin: ctx.origin,
    tokens,
    ctx,
    stop() {
      stopped ??= (async () => {
        await closeServer(server as ServerType, STOP_GRACE_MS);
        // Queries, exports and transforms still running would hold their stop tasks for as long as they run.
        db.interruptStreams();
        for (const task of stopping) await settlesWithin(Promise.resolve().then(task), STOP_GRACE_MS);
        await db.close(STOP_GRACE_MS);
        if (temporary) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
