import type { Queryable } from '../store/db.js';
import type { ApiError } from './errors.js';

/**
 * Inside a transaction, re-reads what a route checked before it opened the transaction: `sql` must still return a
 * row, else `gone()` is thrown (and the transaction rolls back). Routes resolve and authorize outside the
 * transaction, so without this a request that lost a race with a delete or state change (ten parallel deletes of one
 * dataset) would act on a row another request had already removed or changed, and answer 200. Metadata
 * transactions are serialized, so the re-read sees every change committed before it.
 */
export async function recheck(
  tx: Queryable,
  sql: string,
  params: readonly (string | number | boolean | null)[],
  gone: () => ApiError,
): Promise<void> {
  if (!(await tx.one(sql, params))) throw gone();
}
