import { InvalidReferenceError, normalizeVersionTag } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import { atLeast } from '../auth/levels.js';
import { assertAccess, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { optString } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { badRequest, notFound, okText, readJsonObject } from '../http/errors.js';
import { paginateArray } from '../http/pagination.js';
import { type ResolvedDataset, resolveDataset } from '../http/resolve.js';
import { versionListRepr, versionRepr } from '../repr/versions.js';
import { currentVersion, listVersions, nextVersion, versionByNumber, versionTag } from '../store/datasets.js';
import type { Queryable } from '../store/db.js';
import { recheck } from '../http/recheck.js';
import type { VersionRow } from '../store/rows.js';
import {
  createNextVersion,
  deleteVersion,
  releaseNextVersion,
  undeleteVersion,
  unreleaseCurrentVersion,
} from '../store/versions.js';

/** The version a path `:tag` names (`v1.0`, `v1_0`, `1.0`, `current`, `next`); 404 if none, 400 if malformed. */
async function versionFromTag(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  r: ResolvedDataset,
  raw: string,
): Promise<VersionRow> {
  let tag: string;
  try {
    tag = normalizeVersionTag(raw);
  } catch (e) {
    if (e instanceof InvalidReferenceError)
      throw badRequest(`"${raw}" is not a version tag (v1.0, current, next)`);
    throw e;
  }
  assertAccess(c, r.access, 'overview');
  let v: VersionRow | undefined;
  if (tag === 'current') v = await currentVersion(ctx.db.cached, r.dataset.id);
  else if (tag === 'next') v = await nextVersion(ctx.db.cached, r.dataset.id);
  else {
    const [major, minor] = tag.slice(1).split('_').map(Number) as [number, number];
    v = await versionByNumber(ctx.db.cached, r.dataset.id, major, minor);
  }
  const editor = atLeast(r.access.userLevel, 'edit');
  // Unreleased and deleted versions exist only for editors.
  if (!v || ((!v.is_released || v.is_deleted) && !editor)) {
    throw notFound(`${r.access.label} has no version ${raw}`);
  }
  if (!v.is_released || v.is_deleted) assertAccess(c, r.access, 'edit');
  return v;
}

/** 404 for a version that another request removed meanwhile (the answer a later request gets). */
const gone = (r: ResolvedDataset, tag: string) => notFound(`${r.access.label} has no version ${tag}`);

/** The version row as it is now, inside the transaction; 404 when a parallel request deleted it. */
async function reread(tx: Queryable, r: ResolvedDataset, v: VersionRow, tag: string): Promise<VersionRow> {
  const fresh = await tx.one<VersionRow>('SELECT * FROM versions WHERE id = ?', [v.id]);
  if (!fresh) throw gone(r, tag);
  return fresh;
}

async function editable(c: Context<AppEnv>, ctx: EmulatorContext): Promise<ResolvedDataset> {
  requireUser(c);
  const r = await resolveDataset(c, ctx, c.req.param('datasetRef') as string);
  assertAccess(c, r.access, 'edit');
  return r;
}

/** Versions endpoints (spec §5.11 and the client-only release / undelete / patch). */
export function versionsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const reprOf = (r: ResolvedDataset, v: VersionRow) => versionRepr(ctx, r.dataset, r.owner, v);

  app.get('/datasets/:datasetRef/versions', async (c) => {
    const r = await resolveDataset(c, ctx, c.req.param('datasetRef'));
    assertAccess(c, r.access, 'overview');
    const editor = atLeast(r.access.userLevel, 'edit') && c.get('auth').scopes.has('data.edit');
    const all = (await listVersions(ctx.db.cached, r.dataset.id))
      .filter((v) => editor || (v.is_released && !v.is_deleted))
      .reverse();
    const page = paginateArray(c, 'versionList', all);
    return c.json({ ...page, results: page.results.map((v) => versionListRepr(ctx, r.dataset, r.owner, v)) });
  });

  app.post('/datasets/:datasetRef/versions', async (c) => {
    const r = await editable(c, ctx);
    const v = await ctx.db.transaction(async (tx) => {
      await recheck(tx, 'SELECT 1 FROM datasets WHERE id = ?', [r.dataset.id], () =>
        notFound(`${r.access.label} not found`),
      );
      return createNextVersion(tx, r.dataset.id, ctx.now());
    });
    return c.json(await reprOf(r, v), 201);
  });

  app.get('/datasets/:datasetRef/versions/:tag', async (c) => {
    const r = await resolveDataset(c, ctx, c.req.param('datasetRef'));
    return c.json(await reprOf(r, await versionFromTag(c, ctx, r, c.req.param('tag'))));
  });

  app.patch('/datasets/:datasetRef/versions/:tag', async (c) => {
    const r = await editable(c, ctx);
    const v = await versionFromTag(c, ctx, r, c.req.param('tag'));
    const body = await readJsonObject(c);
    const label = optString(body, 'label', 256);
    const releaseNotes = optString(body, 'releaseNotes', 5000) ?? optString(body, 'release_notes', 5000);
    const changed = await ctx.db.run(
      `UPDATE versions SET label = CASE WHEN ? THEN ? ELSE label END,
         release_notes = CASE WHEN ? THEN ? ELSE release_notes END, updated_at = ? WHERE id = ?`,
      [
        'label' in body,
        label ?? null,
        'releaseNotes' in body || 'release_notes' in body,
        releaseNotes ?? null,
        ctx.now(),
        v.id,
      ],
    );
    if (!changed) throw gone(r, c.req.param('tag'));
    return c.json(
      await reprOf(
        r,
        (await ctx.db.one<VersionRow>('SELECT * FROM versions WHERE id = ?', [v.id])) as VersionRow,
      ),
    );
  });

  app.delete('/datasets/:datasetRef/versions/:tag', async (c) => {
    const r = await editable(c, ctx);
    const v = await versionFromTag(c, ctx, r, c.req.param('tag'));
    const result = await ctx.db.transaction(async (tx) => {
      const fresh = await reread(tx, r, v, c.req.param('tag'));
      if (fresh.is_deleted) throw badRequest(`Version ${versionTag(fresh)} is already deleted`);
      return deleteVersion(tx, fresh, ctx.now());
    });
    return result ? c.json(await reprOf(r, result)) : okText(c);
  });

  app.post('/datasets/:datasetRef/versions/:tag/release', async (c) => {
    const r = await editable(c, ctx);
    if (c.req.param('tag').toLowerCase() !== 'next')
      throw badRequest('Only the next version can be released');
    const next = await versionFromTag(c, ctx, r, 'next');
    const body = await readJsonObject(c);
    const notes = optString(body, 'releaseNotes', 5000) ?? optString(body, 'release_notes', 5000);
    const v = await ctx.db.transaction(async (tx) => {
      // A parallel release got there first: this request now sees what a later one would, no next version.
      await recheck(tx, 'SELECT 1 FROM versions WHERE id = ? AND NOT is_released', [next.id], () =>
        gone(r, 'next'),
      );
      return releaseNextVersion(tx, r.dataset.id, notes, ctx.now());
    });
    return c.json(await reprOf(r, v));
  });

  app.post('/datasets/:datasetRef/versions/:tag/unrelease', async (c) => {
    const r = await editable(c, ctx);
    const v = await versionFromTag(c, ctx, r, c.req.param('tag'));
    const result = await ctx.db.transaction(async (tx) => {
      // Checked in the transaction: after a parallel unrelease this version is no longer released (404, as for a
      // later request) and the current version is another one, which must not be unreleased in its place.
      if (!(await reread(tx, r, v, c.req.param('tag'))).is_released) throw gone(r, c.req.param('tag'));
      const current = await currentVersion(tx, r.dataset.id);
      if (v.id !== current?.id) throw badRequest('Only the current version can be unreleased');
      return unreleaseCurrentVersion(tx, r.dataset.id, ctx.now());
    });
    return c.json(await reprOf(r, result));
  });

  app.post('/datasets/:datasetRef/versions/:tag/undelete', async (c) => {
    const r = await editable(c, ctx);
    const v = await versionFromTag(c, ctx, r, c.req.param('tag'));
    const result = await ctx.db.transaction(async (tx) =>
      undeleteVersion(tx, await reread(tx, r, v, c.req.param('tag')), ctx.now()),
    );
    return c.json(await reprOf(r, result));
  });

  return app;
}
