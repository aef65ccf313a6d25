import { type ReadSession, readSessionSchema } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import { assertAccess, getAuth, requireScope, requireUser } from '../auth/request.js';
import { denseRowidBase, rowidBoundsSql } from '../arrow/read-sql.js';
import { atLeast, maxLevel } from '../auth/levels.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound, readJsonObject } from '../http/errors.js';
import { resolveTable } from '../http/resolve.js';
import { getQuery, outputColumns, queryOutputRelation } from '../store/queries.js';
import { type ReadSessionRecord, type ReadSource, readSessionsOf } from '../store/read-sessions.js';
import { storageTable } from '../store/schema.js';
import { type NamedColumn, nonNegativeInteger, selectColumns } from './rows-params.js';
import { requireCompleted } from './queries.js';

/** The parsed read-session request body (spec §5.7.1). */
export interface ReadSessionRequest {
  selectedVariables?: string[];
  maxResults?: number;
  requestedStreamCount: number;
  allowAnonymousAccess: boolean;
}

/** Validates a read-session body: unknown formats, bad counts and malformed variable lists are 400s. */
export function parseReadSessionRequest(body: Record<string, unknown>): ReadSessionRequest {
  const format = body.format ?? 'arrow';
  if (format !== 'arrow') {
    throw badRequest(`format "${String(format)}" is not supported by the emulator; use "arrow"`);
  }
  const selected = body.selectedVariables;
  if (
    selected !== undefined &&
    selected !== null &&
    !(Array.isArray(selected) && selected.every((s) => typeof s === 'string'))
  ) {
    throw badRequest('selectedVariables must be an array of variable names');
  }
  const count = nonNegativeInteger(body.requestedStreamCount, 'requestedStreamCount') ?? 1;
  if (count < 1) throw badRequest('requestedStreamCount must be at least 1');
  if (body.allowAnonymousAccess !== undefined && typeof body.allowAnonymousAccess !== 'boolean') {
    throw badRequest('allowAnonymousAccess must be a boolean');
  }
  const maxResults = nonNegativeInteger(body.maxResults, 'maxResults');
  return {
    ...(Array.isArray(selected) ? { selectedVariables: selected as string[] } : {}),
    ...(maxResults === undefined ? {} : { maxResults }),
    requestedStreamCount: count,
    allowAnonymousAccess: body.allowAnonymousAccess === true,
  };
}

/** The read-session resource. */
function sessionRepr(session: ReadSessionRecord): ReadSession {
  return readSessionSchema.parse({
    kind: 'readSession',
    id: session.id,
    format: session.format,
    numRows: session.numRows,
    expiresAt: session.expiresAt,
    streams: session.streams.map((s) => ({ kind: 'readStream', id: s.id, estimatedRows: s.range.limit })),
  });
}

/**
 * Creates a read session over `columns` of `relation` for the caller: the building block for tables, queries and
 * (later) uploads. Counts the relation's rows now, so the streams partition this snapshot.
 */
export async function createReadSession(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  source: { relation: string; columns: readonly NamedColumn[]; publicData: boolean },
): Promise<Response> {
  const request = parseReadSessionRequest(await readJsonObject(c));
  const columns = selectColumns(source.columns, request.selectedVariables);
  const bounds = (await ctx.db.one<{ n: number; lo: number | null; hi: number | null }>(
    rowidBoundsSql(source.relation),
  )) ?? { n: 0, lo: null, hi: null };
  const rowidBase = denseRowidBase(bounds);
  const readSource: ReadSource = {
    relation: source.relation,
    columns: columns.map((col) => ({ column: col.name, type: col.type })),
    totalRows: bounds.n,
    publicData: source.publicData,
    ...(rowidBase === undefined ? {} : { rowidBase }),
  };
  const session = readSessionsOf(ctx).create({
    userId: getAuth(c).user?.id ?? null,
    allowAnonymousAccess: request.allowAnonymousAccess,
    source: readSource,
    requestedStreamCount: request.requestedStreamCount,
    ...(request.maxResults === undefined ? {} : { maxResults: request.maxResults }),
  });
  return c.json(sessionRepr(session));
}

/**
 * Read sessions (spec §5.7.1) on tables and query outputs. Sessions live in memory (they do not survive a
 * restart) and expire after 6 hours; `requestedStreamCount` is honoured up to 16 streams and the number of rows.
 */
export function readSessionsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/tables/:tableRef/readSessions', async (c) => {
    const resolved = await resolveTable(c, ctx, c.req.param('tableRef') as string);
    const sample = resolved.container.kind === 'dataset' && resolved.container.dataset.sample;
    const needed = maxLevel(sample ? 'sample' : 'data', resolved.minimumLevel);
    assertAccess(c, resolved.access, needed);
    return createReadSession(c, ctx, {
      relation: storageTable(resolved.table.storage),
      columns: resolved.variables.map((v) => ({ name: v.name, type: v.type })),
      publicData: atLeast(resolved.access.publicLevel, needed),
    });
  });

  app.post('/queries/:queryId/readSessions', async (c) => {
    const user = requireUser(c);
    requireScope(c, 'data.data', 'data.edit');
    const row = await getQuery(ctx.db, c.req.param('queryId') as string);
    if (!row || row.user_id !== user.id) throw notFound(`Query ${c.req.param('queryId')} not found`);
    requireCompleted(row);
    return createReadSession(c, ctx, {
      relation: queryOutputRelation(row.id),
      columns: outputColumns(row),
      publicData: false,
    });
  });

  return app;
}
