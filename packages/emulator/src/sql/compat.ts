/**
 * BigQuery functions Redivis SQL users write often that DuckDB lacks or spells differently, defined as temporary
 * macros on the connection that runs a query. Macros (rather than token rewrites) keep argument expressions intact
 * whatever their nesting.
 */
export const BIGQUERY_COMPAT_MACROS: readonly string[] = [
  'CREATE OR REPLACE TEMP MACRO safe_divide(a, b) AS CASE WHEN b = 0 THEN NULL ELSE a / b END',
  'CREATE OR REPLACE TEMP MACRO div(a, b) AS a // b',
  'CREATE OR REPLACE TEMP MACRO logical_and(x) AS bool_and(x)',
  'CREATE OR REPLACE TEMP MACRO logical_or(x) AS bool_or(x)',
  'CREATE OR REPLACE TEMP MACRO regexp_contains(s, pattern) AS regexp_matches(s, pattern)',
  'CREATE OR REPLACE TEMP MACRO current_datetime() AS current_localtimestamp()',
  'CREATE OR REPLACE TEMP MACRO format_date(fmt, d) AS strftime(d, fmt)',
  'CREATE OR REPLACE TEMP MACRO format_timestamp(fmt, ts) AS strftime(ts, fmt)',
  'CREATE OR REPLACE TEMP MACRO format_datetime(fmt, ts) AS strftime(ts, fmt)',
  'CREATE OR REPLACE TEMP MACRO parse_date(fmt, s) AS CAST(strptime(s, fmt) AS DATE)',
  'CREATE OR REPLACE TEMP MACRO parse_datetime(fmt, s) AS strptime(s, fmt)',
  'CREATE OR REPLACE TEMP MACRO parse_timestamp(fmt, s) AS strptime(s, fmt)',
];
