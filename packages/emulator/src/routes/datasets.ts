import type { DatasetListItemProperties } from '@redivis-ts/core';
import { escapeName } from '@redivis-ts/core';
import { type Context, Hono } from 'hono';
import { atLeast, scopeCeiling } from '../auth/levels.js';
import { assertAccess, requireScope, requireUser } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import { csvParam, optEnum, optName, optString, optStringArray, reqName } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { conflict, forbidden, notFound, okText, readJsonObject } from '../http/errors.js';
import { type ListEnvelope, listEnvelope, readPageParams } from '../http/pagination.js';
import { assertResolvedAccess, type ResolvedDataset, resolveDataset } from '../http/resolve.js';
import { datasetRepr, sizeKey } from '../repr/datasets.js';
import { type DatasetFacts, datasetFacts, datasetSizes, visibleDatasets } from '../store/dataset-facts.js';
import { randomId } from '../store/ids.js';
import {
  currentVersion,
  datasetPublicLevel,
  datasetUserLevel,
  insertDataset,
  nextVersion,
} from '../store/datasets.js';
import type { Queryable } from '../store/db.js';
import { isOrgAdmin, type Owner } from '../store/owners.js';
import { recheck } from '../http/recheck.js';
import type { DatasetRow } from '../store/rows.js';
import { deleteTables } from '../store/tables.js';
import { createNextVersion } from '../store/versions.js';

const PUBLIC_LEVELS = ['none', 'overview', 'metadata', 'sample', 'data'] as const;

/** A resolved view of a dataset as the caller sees it by default (current version, else next for editors). */
async function defaultView(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  dataset: DatasetRow,
  owner: Owner,
): Promise<ResolvedDataset> {
  const userLevel = await datasetUserLevel(ctx.db.cached, dataset, c.get('auth').user?.id);
  const version =
    (await currentVersion(ctx.db.cached, dataset.id)) ??
    (await nextVersion(ctx.db.cached, dataset.id)) ??
    null;
  return {
    dataset,
    owner,
    version,
    versionExplicit: false,
    sample: false,
    access: {
      label: `Dataset "${owner.name}.${escapeName(dataset.name)}"`,
      publicLevel: datasetPublicLevel(dataset),
      userLevel,
    },
    minimumLevel: 'none',
  };
}

/**
 * `GET /users/:u/datasets`, `GET /organizations/:o/datasets`: datasets the caller can see (public ones, and those the
 * user may see when the token's scopes reach overview), by name; `labels=a,b` keeps datasets carrying every label
 * (labels are admin-only, so only datasets the caller edits can match). Paged in SQL; a page costs four statements
 * whatever its size (admin check, the page, its versions, its sizes).
 */
export async function listDatasets(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  owner: Owner,
): Promise<ListEnvelope<DatasetListItemProperties>> {
  const userId = c.get('auth').user?.id ?? null;
  const editsAll =
    userId !== null &&
    (owner.kind === 'user' ? owner.id === userId : await isOrgAdmin(ctx.db.cached, owner.id, userId));
  const { maxResults, offset } = readPageParams(c);
  const rows = await visibleDatasets(ctx.db.cached, {
    ownerKind: owner.kind,
    ownerId: owner.id,
    userId,
    editsAll,
    scopesReachOverview: atLeast(scopeCeiling(c.get('auth').scopes), 'overview'),
    labels: csvParam(c.req.query('labels'))?.map((l) => l.toLowerCase()) ?? [],
    offset,
    limit: maxResults + 1,
  });
  const page = rows.slice(0, maxResults);
  const facts = await datasetFacts(
    ctx.db.cached,
    page.map((d) => d.id),
  );
  const views = page.map(({ user_level, ...dataset }): ResolvedDataset => {
    const f = facts.get(dataset.id) as DatasetFacts;
    return {
      dataset,
      owner,
      version: f.current ?? f.next ?? null,
      versionExplicit: false,
      sample: false,
      access: {
        label: `Dataset "${owner.name}.${escapeName(dataset.name)}"`,
        publicLevel: datasetPublicLevel(dataset),
        userLevel: user_level,
      },
      minimumLevel: 'none',
    };
  });
  const sizes = await datasetSizes(ctx.db.cached, views.map(sizeKey));
  const results = await Promise.all(
    views.map((v) =>
      datasetRepr(c, ctx, v, 'list', {
        facts: facts.get(v.dataset.id) as DatasetFacts,
        sizes: sizes.get(v.dataset.id),
      }),
    ),
  );
  return listEnvelope(
    'datasetList',
    results,
    rows.length > maxResults && maxResults > 0 ? offset + maxResults : null,
  );
}

/** Whether a dataset with this (escaped) name exists for the owner, other than `exceptId`. */
async function nameTaken(db: Queryable, owner: Owner, name: string, exceptId?: string): Promise<boolean> {
  const rows = await db.all<{ id: string; name: string }>(
    'SELECT id, name FROM datasets WHERE owner_kind = ? AND owner_id = ?',
    [owner.kind, owner.id],
  );
  return rows.some((r) => r.id !== exceptId && escapeName(r.name) === escapeName(name));
}

/** `POST /users/:u/datasets`, `POST /organizations/:o/datasets` (spec §5.2.5). */
export async function createDataset(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  owner: Owner,
): Promise<Response> {
  const user = requireUser(c);
  const allowed = owner.kind === 'user' ? owner.id === user.id : await isOrgAdmin(ctx.db, owner.id, user.id);
  if (!allowed) {
    throw forbidden(
      owner.kind === 'user'
        ? `Only ${owner.name} can create datasets in their workspace`
        : `Only administrators of ${owner.name} can create its datasets`,
    );
  }
  requireScope(c, 'data.edit');
  const body = await readJsonObject(c);
  const name = reqName(body, 'name', 'dataset');
  const publicAccessLevel = optEnum(body, 'publicAccessLevel', PUBLIC_LEVELS) ?? 'none';
  const description = optString(body, 'description', 256) ?? '';
  const t = ctx.now();
  const id = `${randomId(4)}-${randomId(9)}`;
  const dataset = await ctx.db.transaction(async (tx) => {
    if (await nameTaken(tx, owner, name))
      throw conflict(`A dataset named "${name}" already exists for ${owner.name}`);
    let referenceId = randomId(4);
    while (
      await tx.one('SELECT 1 FROM datasets WHERE owner_id = ? AND reference_id = ?', [owner.id, referenceId])
    ) {
      referenceId = randomId(4);
    }
    await insertDataset(tx, {
      id,
      referenceId,
      ownerKind: owner.kind,
      ownerId: owner.id,
      name,
      description,
      publicAccessLevel,
      at: t,
    });
    await createNextVersion(tx, id, t);
    return (await tx.one<DatasetRow>('SELECT * FROM datasets WHERE id = ?', [id])) as DatasetRow;
  });
  return c.json(await datasetRepr(c, ctx, await defaultView(c, ctx, dataset, owner), 'get'), 201);
}

async function patchDataset(c: Context<AppEnv>, ctx: EmulatorContext): Promise<Response> {
  requireUser(c);
  const r = await resolveDataset(c, ctx, c.req.param('datasetRef') as string);
  assertAccess(c, r.access, 'edit');
  const body = await readJsonObject(c);
  const name = optName(body, 'name', 'dataset');
  const publicAccessLevel = optEnum(body, 'publicAccessLevel', PUBLIC_LEVELS);
  const description = optString(body, 'description', 256);
  const labels = optStringArray(body, 'labels')?.map((l) => l.trim().toLowerCase());
  const t = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await recheck(tx, 'SELECT 1 FROM datasets WHERE id = ?', [r.dataset.id], () =>
      notFound(`Dataset "${c.req.param('datasetRef')}" not found`),
    );
    if (name !== undefined && (await nameTaken(tx, r.owner, name, r.dataset.id))) {
      throw conflict(`A dataset named "${name}" already exists for ${r.owner.name}`);
    }
    await tx.run(
      `UPDATE datasets SET name = coalesce(?, name), public_access_level = coalesce(?, public_access_level),
         description = coalesce(?, description), labels = coalesce(?, labels), updated_at = ? WHERE id = ?`,
      [
        name ?? null,
        publicAccessLevel ?? null,
        description ?? null,
        labels ? JSON.stringify([...new Set(labels)]) : null,
        t,
        r.dataset.id,
      ],
    );
  });
  const dataset = await ctx.db.one<DatasetRow>('SELECT * FROM datasets WHERE id = ?', [r.dataset.id]);
  // A delete that commits right after the patch leaves nothing to represent: answer as a later request would.
  if (!dataset) throw notFound(`Dataset "${c.req.param('datasetRef')}" not found`);
  const view = { ...r, dataset, access: { ...r.access, publicLevel: datasetPublicLevel(dataset) } };
  return c.json(await datasetRepr(c, ctx, view, 'get'));
}

/** Datasets endpoints (spec §5.2): get/HEAD, patch (PATCH or POST), delete. Lists and creates live on owners. */
export function datasetsRoutes(ctx: EmulatorContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/datasets/:datasetRef', async (c) => {
    const r = await resolveDataset(c, ctx, c.req.param('datasetRef'));
    // A defaulted `next` (nothing released yet) shows the dataset without its unreleased version to non-editors.
    assertResolvedAccess(c, r.versionExplicit ? r : { ...r, minimumLevel: 'none' }, 'overview');
    return c.json(await datasetRepr(c, ctx, r, 'get'));
  });

  app.patch('/datasets/:datasetRef', (c) => patchDataset(c, ctx));
  // The docs print the update as POST; the JS client sends POST.
  app.post('/datasets/:datasetRef', (c) => patchDataset(c, ctx));

  app.delete('/datasets/:datasetRef', async (c) => {
    requireUser(c);
    const r = await resolveDataset(c, ctx, c.req.param('datasetRef'));
    assertAccess(c, r.access, 'edit');
    await ctx.db.transaction(async (tx) => {
      await recheck(tx, 'SELECT 1 FROM datasets WHERE id = ?', [r.dataset.id], () =>
        notFound(`Dataset "${c.req.param('datasetRef')}" not found`),
      );
      const tables = await tx.all<{ id: string }>(
        'SELECT t.id FROM tables t JOIN versions v ON v.id = t.version_id WHERE v.dataset_id = ?',
        [r.dataset.id],
      );
      await deleteTables(
        tx,
        tables.map((t) => t.id),
      );
      await tx.run('DELETE FROM versions WHERE dataset_id = ?', [r.dataset.id]);
      await tx.run('DELETE FROM dataset_access WHERE dataset_id = ?', [r.dataset.id]);
      await tx.run('DELETE FROM datasets WHERE id = ?', [r.dataset.id]);
    });
    return okText(c);
  });

  return app;
}
