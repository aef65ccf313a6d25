/**
 * BigQuery functions Redivis SQL users write often that DuckDB lacks or spells differently, as DuckDB macros created
 * once in the database at startup (`installCompatMacros`). Macros (rather than token rewrites) keep argument
 * expressions intact whatever their nesting.
 */
export const BIGQUERY_COMPAT_MACROS: readonly string[] = [
  'CREATE OR REPLACE MACRO safe_divide(a, b) AS CASE WHEN b = 0 THEN NULL ELSE a / b END',
  `CREATE OR REPLACE MACRO div(a, b) AS CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE a // b END`,
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

/**
 * Targets of the sandbox's tree rewrites (tree-check.ts), following BigQuery where DuckDB differs: `a / b` raises on
 * a zero divisor (DuckDB returns NULL or infinity); casts to DATE and TIMESTAMP refuse values outside 0001-01-01 ..
 * 9999-12-31, and a timestamp written with a zone offset is converted to UTC (DuckDB's TIMESTAMP keeps the wall time
 * and drops the offset; the sandbox's time zone is UTC, so going through TIMESTAMPTZ converts).
 */
export const DIALECT_MACROS: readonly string[] = [
  `CREATE OR REPLACE MACRO bq_divide(a, b) AS
     CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE a / b END`,
  `CREATE OR REPLACE MACRO bq_date(x) AS
     CASE WHEN x IS NULL OR CAST(x AS DATE) BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN CAST(x AS DATE)
     ELSE error('Invalid DATE: ' || x || ' is outside the range 0001-01-01 to 9999-12-31') END`,
  `CREATE OR REPLACE MACRO bq_timestamp(x) AS
     CASE WHEN x IS NULL OR CAST(CAST(x AS TIMESTAMPTZ) AS TIMESTAMP)
         BETWEEN TIMESTAMP '0001-01-01 00:00:00' AND TIMESTAMP '9999-12-31 23:59:59.999999'
       THEN CAST(CAST(x AS TIMESTAMPTZ) AS TIMESTAMP)
     ELSE error('Invalid TIMESTAMP: ' || x || ' is outside the range 0001-01-01 to 9999-12-31') END`,
];

/** Names of the macros above, which user SQL may call (allowed-functions.ts). */
export const MACRO_NAMES: readonly string[] = [...BIGQUERY_COMPAT_MACROS, ...DIALECT_MACROS].map(
  (sql) => (/MACRO (\w+)/.exec(sql) as RegExpExecArray)[1] as string,
);

/** Creates (or replaces) the compatibility and dialect macros; run once per database. */
export async function installCompatMacros(db: { run(sql: string): Promise<unknown> }): Promise<void> {
  for (const macro of [...BIGQUERY_COMPAT_MACROS, ...DIALECT_MACROS]) await db.run(macro);
}
