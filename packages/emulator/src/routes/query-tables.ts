import type { Context } from 'hono';
import { maxLevel } from '../auth/levels.js';
import { assertAccess } from '../auth/request.js';
import type { EmulatorContext } from '../context.js';
import type { AppEnv } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { resolveTable } from '../http/resolve.js';
import type { InputTable } from '../sql/execute.js';
import { type SqlTableRef, SqlTranslationError } from '../sql/translate.js';
import { storageTable } from '../store/schema.js';

/** The containers that unqualified table names in a query are looked up in (spec §5.6.1). */
export interface QueryDefaults {
  defaultWorkflow: string | null;
  defaultDataset: string | null;
}

/** Errors that stay HTTP errors rather than failing the query: the caller's credentials must change. */
function isCredentialError(error: ApiError): boolean {
  return error.status === 401 || (error.status === 403 && error.code === 'insufficient_scope');
}

/** The owner part of a qualified container reference (`demo.iris_species:v1_0` → `demo`). */
function ownerOf(container: string): string {
  return container.split('.')[0] as string;
}

/** Candidate fully qualified references for a table reference written in a query. */
function candidates(ref: SqlTableRef, defaults: QueryDefaults): string[] {
  if (ref.parts.length === 3) return [ref.reference];
  const containers = [defaults.defaultWorkflow, defaults.defaultDataset].filter((c): c is string => !!c);
  if (containers.length === 0) {
    throw new SqlTranslationError(
      `Table "${ref.reference}" must be qualified with its owner and dataset or workflow (owner.dataset.table) ` +
        'when no defaultDataset or defaultWorkflow is given',
    );
  }
  return ref.parts.length === 1
    ? containers.map((container) => `${container}.${ref.reference}`)
    : containers.map((container) => `${ownerOf(container)}.${ref.reference}`);
}

/**
 * Resolves a table referenced in a query to its storage relation (with a cache key when its rows are immutable), checking that the caller may read its data.
 * Unknown or unreadable tables fail the query (an SqlTranslationError whose message becomes `errorMessage`), as
 * BigQuery jobs do; missing credentials or scopes stay HTTP errors, which the official clients answer by
 * re-authenticating.
 */
export async function resolveQueryTable(
  c: Context<AppEnv>,
  ctx: EmulatorContext,
  ref: SqlTableRef,
  defaults: QueryDefaults,
): Promise<Exclude<InputTable, string>> {
  let lastError: ApiError | undefined;
  for (const candidate of candidates(ref, defaults)) {
    try {
      const resolved = await resolveTable(c, ctx, candidate);
      const sample = resolved.container.kind === 'dataset' && resolved.container.dataset.sample;
      assertAccess(c, resolved.access, maxLevel(sample ? 'sample' : 'data', resolved.minimumLevel));
      const { table } = resolved;
      const relation = storageTable(table.storage);
      // A released version's rows never change (writes need the unreleased version, which copies shared storage
      // first), so the sandbox may keep its copy; the row count in the key guards the rule.
      const released =
        resolved.container.kind === 'dataset' && resolved.container.dataset.version?.is_released;
      return released
        ? { relation, cacheKey: `${table.storage}:${table.num_rows}`, numBytes: Number(table.num_bytes) }
        : { relation };
    } catch (error) {
      if (!(error instanceof ApiError) || isCredentialError(error)) throw error;
      lastError = error;
      if (error.status !== 404) break;
    }
  }
  if (lastError?.status === 404)
    throw new SqlTranslationError(`Not found: Table ${ref.reference} was not found`);
  throw new SqlTranslationError(
    `Access Denied: Table ${ref.reference}: ${lastError?.description ?? 'you do not have data access to this table'}`,
  );
}
