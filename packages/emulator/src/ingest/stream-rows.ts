import { InvalidOperationError } from '../store/errors.js';
import type { Queryable } from '../store/db.js';
import { quoteIdent } from '../store/identifiers.js';
import { storageTable } from '../store/schema.js';
import { measureRows } from '../store/tables.js';
import { type UploadRow, uploadOptions } from '../store/uploads.js';
import { variableNames, widen } from './columns.js';
import { mergeIntoTable, type SchemaUpdates } from './merge.js';
import { sqlString } from './sources.js';
import { duckdbStorageType } from '../store/duckdb-types.js';
import type { VariableType } from '@redivis-ts/core';

/** insertRows accepts at most this many rows per request (spec §5.9.2). */
export const MAX_INSERT_ROWS = 50_000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]00:?00)?$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const WKT = /^\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION)\b/i;

/** Whether a JSON value is a valid cell of a variable type (spec §5.9.2: JSON scalars, canonical strings, WKT). */
function fits(type: VariableType, v: unknown): boolean {
  switch (type) {
    case 'integer':
      // Beyond ±2^53 a JSON number has already lost digits; such values come as decimal strings (BigQuery's INT64
      // JSON encoding), which DuckDB casts exactly.
      return (typeof v === 'number' && Number.isSafeInteger(v)) || isInt64String(v);
    case 'float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'date':
      return typeof v === 'string' && DATE.test(v);
    case 'dateTime':
      return typeof v === 'string' && DATE_TIME.test(v);
    case 'time':
      return typeof v === 'string' && TIME.test(v);
    case 'geography':
      return typeof v === 'string' && WKT.test(v);
  }
}

function isInt64String(v: unknown): boolean {
  if (typeof v !== 'string' || !/^-?\d{1,19}$/.test(v)) return false;
  const n = BigInt(v);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** The type a new variable gets from its first value. */
function inferType(v: unknown): VariableType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'integer' : 'float';
  return 'string';
}

/** The cell as stored under `type` (after widening a number may land in a string column). */
function cell(type: VariableType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'string' && typeof v !== 'string')
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (type === 'dateTime' && typeof v === 'string') return v.replace(/(Z|[+-]00:?00)$/, '');
  return v;
}

/** The response of uploads.insertRows. */
export interface InsertRowsResult {
  kind: 'insertRowsResponse';
  rowsAdded: number;
  rowsSkipped: number;
  schemaUpdates: SchemaUpdates[];
}

/**
 * Inserts rows into a stream upload and its table in the caller's transaction (all rows or none). Values must fit
 * their variable's type; unknown variables and values of another type change the schema only with
 * `updateVariables` (variables added, types widened, reported in `schemaUpdates`). Rows that still do not fit are
 * skipped and counted when the upload has `skipBadRecords`, else the request fails naming the first one.
 */
export async function insertStreamRows(
  tx: Queryable,
  upload: UploadRow,
  rows: readonly unknown[],
  updateVariables: boolean,
  at: number,
): Promise<InsertRowsResult> {
  const current = await tx.one<UploadRow>('SELECT * FROM uploads WHERE id = ?', [upload.id]);
  if (!current) throw new InvalidOperationError(`Upload ${upload.name} was deleted`);
  const columns: Array<{ name: string; type: VariableType }> = JSON.parse(current.columns ?? '[]');
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const skipBad = uploadOptions(current).skipBadRecords ?? false;
  const updates: SchemaUpdates = { addedVariables: [], updatedVariables: [] };
  const kept: Array<Record<string, unknown>> = [];
  let skipped = 0;
  nextRow: for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const problem = (text: string) => {
      if (!skipBad) throw new InvalidOperationError(`rows[${i}]: ${text}`);
      skipped++;
    };
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      problem('each row must be an object');
      continue;
    }
    const entries = Object.entries(row as Record<string, unknown>);
    for (const [key, v] of entries) {
      let col = byName.get(key.toLowerCase());
      if (!col) {
        if (!updateVariables && columns.length) {
          problem(`unknown variable "${key}" (send updateVariables: true)`);
          continue nextRow;
        }
        const [name] = variableNames([key]);
        if (name !== key) {
          problem(`"${key}" is not a valid variable name`);
          continue nextRow;
        }
        col = { name: key, type: v === null ? 'string' : inferType(v) };
        columns.push(col);
        byName.set(key.toLowerCase(), col);
        updates.addedVariables.push({ ...col });
        continue;
      }
      if (v === null || fits(col.type, v)) continue;
      if (!updateVariables) {
        problem(`"${key}" must be a ${col.type} value`);
        continue nextRow;
      }
      const type = widen(col.type, inferType(v));
      updates.updatedVariables.push({ name: col.name, type, previousType: col.type });
      col.type = type;
    }
    const out: Record<string, unknown> = {};
    for (const [key, v] of entries) out[(byName.get(key.toLowerCase()) as { name: string }).name] = v;
    kept.push(out);
  }
  const relation = storageTable(current.storage);
  const previous: Array<{ name: string; type: VariableType }> = JSON.parse(current.columns ?? '[]');
  for (const c of columns) {
    const before = previous.find((p) => p.name === c.name);
    if (!before)
      await tx.run(`ALTER TABLE ${relation} ADD COLUMN ${quoteIdent(c.name)} ${duckdbStorageType(c.type)}`);
    else if (duckdbStorageType(before.type) !== duckdbStorageType(c.type)) {
      await tx.run(
        `ALTER TABLE ${relation} ALTER ${quoteIdent(c.name)} SET DATA TYPE ${duckdbStorageType(c.type)}`,
      );
    }
  }
  if (!previous.length && columns.length)
    await tx.run(`ALTER TABLE ${relation} DROP COLUMN IF EXISTS "__empty"`);
  if (kept.length && columns.length) {
    const json = JSON.stringify(
      kept.map((r) => Object.fromEntries(columns.map((c) => [c.name, cell(c.type, r[c.name])]))),
    );
    const spec = `[{${columns.map((c) => `${JSON.stringify(c.name)}: ${JSON.stringify(duckdbStorageType(c.type))}`).join(', ')}}]`;
    const names = columns.map((c) => quoteIdent(c.name)).join(', ');
    const source = `(SELECT unnest(from_json(?::JSON, ${sqlString(spec)}), recursive := true))`;
    await tx.run(`INSERT INTO ${relation} (${names}) SELECT ${names} FROM ${source}`, [json]);
    await mergeIntoTable(tx, {
      tableId: current.table_id,
      source,
      params: [json],
      columns,
      replace: false,
      at,
    });
  }
  const size = await measureRows(
    tx,
    relation,
    columns.map((c) => ({ column: c.name, type: c.type })),
  );
  await tx.run('UPDATE uploads SET num_rows = ?, num_bytes = ?, columns = ?, updated_at = ? WHERE id = ?', [
    size.numRows,
    size.numBytes,
    JSON.stringify(columns),
    at,
    upload.id,
  ]);
  const changed = updates.addedVariables.length || updates.updatedVariables.length;
  return {
    kind: 'insertRowsResponse',
    rowsAdded: kept.length,
    rowsSkipped: skipped,
    schemaUpdates: changed ? [updates] : [],
  };
}
