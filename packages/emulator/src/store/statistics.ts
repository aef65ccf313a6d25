import type { Db } from './db.js';
import { VARIABLE_TYPE_FACTS } from '@redivis-ts/core';
import { quoteIdent } from './identifiers.js';
import type { VariableType } from '@redivis-ts/core';

/** Summary statistics of one variable (spec §6.10), computed by DuckDB. */
export interface VariableStatistics {
  kind: 'variableStatistics';
  status: 'completed';
  count: number;
  numDistinct: number;
  min: number | string | null;
  max: number | string | null;
  mean: number | string | null;
  approxMedian: number | string | null;
  geoBBox?: {
    westLongitude: number;
    eastLongitude: number;
    northLatitude: number;
    southLatitude: number;
  } | null;
}

/**
 * JSON has no NaN or Infinity (JSON.stringify would write null): non-finite statistics are the strings BigQuery's
 * JSON uses, `"NaN"`, `"Infinity"` and `"-Infinity"`.
 */
function finiteOrText(n: number): number | string {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

const isNumeric = (type: VariableType) => VARIABLE_TYPE_FACTS[type].kind === 'numeric';
const isTemporal = (type: VariableType) => VARIABLE_TYPE_FACTS[type].kind === 'temporal';

/**
 * Computes statistics of `column` in `relation` on a separate connection (a count distinct over millions of rows
 * must not hold up the metadata queue). min/max are numbers for numeric types, canonical strings for date/time
 * types and null for string, boolean and geography; mean and approxMedian only for numeric types; geography gets
 * the bounding box of its WKT POINTs.
 */
export async function computeStatistics(
  db: Db,
  relation: string,
  column: string,
  type: VariableType,
): Promise<VariableStatistics> {
  const c = quoteIdent(column);
  const parts = [`count(${c}) AS count`, `count(DISTINCT ${c}) AS num_distinct`];
  if (isNumeric(type)) {
    // BigQuery's MIN and MAX are NaN when any input is NaN; DuckDB orders NaN above every number instead.
    const anyNaN = `coalesce(bool_or(isnan(CAST(${c} AS DOUBLE))), false)`;
    parts.push(
      `CASE WHEN ${anyNaN} THEN 'NaN'::DOUBLE ELSE CAST(min(${c}) AS DOUBLE) END AS min`,
      `CASE WHEN ${anyNaN} THEN 'NaN'::DOUBLE ELSE CAST(max(${c}) AS DOUBLE) END AS max`,
      `avg(${c}) AS mean`,
      `CAST(approx_quantile(${c}, 0.5) AS DOUBLE) AS approx_median`,
    );
  } else if (isTemporal(type)) {
    parts.push(`CAST(min(${c}) AS VARCHAR) AS min`, `CAST(max(${c}) AS VARCHAR) AS max`);
  } else if (VARIABLE_TYPE_FACTS[type].kind === 'geography') {
    const lon = `TRY_CAST(regexp_extract(${c}, '^\\s*POINT\\s*\\(\\s*(\\S+)\\s+(\\S+)\\s*\\)', 1) AS DOUBLE)`;
    const lat = `TRY_CAST(regexp_extract(${c}, '^\\s*POINT\\s*\\(\\s*(\\S+)\\s+(\\S+)\\s*\\)', 2) AS DOUBLE)`;
    parts.push(`min(${lon}) AS west`, `max(${lon}) AS east`, `max(${lat}) AS north`, `min(${lat}) AS south`);
  }
  const conn = await db.openStreamConnection();
  try {
    const reader = await conn.runAndReadAll(`SELECT ${parts.join(', ')} FROM ${relation}`);
    const row = reader.getRowObjectsJS()[0] as Record<string, unknown>;
    const num = (v: unknown): number | string | null =>
      v === null || v === undefined ? null : finiteOrText(Number(v));
    const stats: VariableStatistics = {
      kind: 'variableStatistics',
      status: 'completed',
      count: Number(row.count),
      numDistinct: Number(row.num_distinct),
      min: isNumeric(type) ? num(row.min) : isTemporal(type) ? ((row.min as string | null) ?? null) : null,
      max: isNumeric(type) ? num(row.max) : isTemporal(type) ? ((row.max as string | null) ?? null) : null,
      mean: isNumeric(type) ? num(row.mean) : null,
      approxMedian: isNumeric(type) ? num(row.approx_median) : null,
    };
    if (VARIABLE_TYPE_FACTS[type].kind === 'geography') {
      stats.geoBBox =
        row.west === null
          ? null
          : {
              westLongitude: Number(row.west),
              eastLongitude: Number(row.east),
              northLatitude: Number(row.north),
              southLatitude: Number(row.south),
            };
    }
    return stats;
  } finally {
    db.releaseStreamConnection(conn);
  }
}
