/**
 * BigQuery functions Redivis SQL users write often that DuckDB lacks or spells differently, as DuckDB macros created
 * once in the database at startup (`installCompatMacros`). Macros (rather than token rewrites) keep argument
 * expressions intact whatever their nesting.
 */
export const BIGQUERY_COMPAT_MACROS: readonly string[] = [
  'CREATE OR REPLACE MACRO safe_divide(a, b) AS CASE WHEN b = 0 THEN NULL ELSE a / b END',
  'CREATE OR REPLACE MACRO div(a, b) AS a // b',
  'CREATE OR REPLACE MACRO logical_and(x) AS bool_and(x)',
  'CREATE OR REPLACE MACRO logical_or(x) AS bool_or(x)',
  'CREATE OR REPLACE MACRO regexp_contains(s, pattern) AS regexp_matches(s, pattern)',
  'CREATE OR REPLACE MACRO current_datetime() AS current_localtimestamp()',
  'CREATE OR REPLACE MACRO format_date(fmt, d) AS strftime(d, fmt)',
  'CREATE OR REPLACE MACRO format_timestamp(fmt, ts) AS strftime(ts, fmt)',
  'CREATE OR REPLACE MACRO format_datetime(fmt, ts) AS strftime(ts, fmt)',
  'CREATE OR REPLACE MACRO parse_date(fmt, s) AS CAST(strptime(s, fmt) AS DATE)',
  'CREATE OR REPLACE MACRO parse_datetime(fmt, s) AS strptime(s, fmt)',
  'CREATE OR REPLACE MACRO parse_timestamp(fmt, s) AS strptime(s, fmt)',
];

/** Creates (or replaces) the compatibility macros; run once per database. */
export async function installCompatMacros(db: { run(sql: string): Promise<unknown> }): Promise<void> {
  for (const macro of BIGQUERY_COMPAT_MACROS) await db.run(macro);
}
