/**
 * SQL generating the weather tables inside DuckDB from a deterministic hash of the row number, so 100k rows seed in
 * well under a second and millions in seconds, identically on every machine. `emu_rh(i, k)` is a uniform value in
 * [0, 1) for row `i` and stream `k` (an integer hash that needs no extension and no PRNG state). No ORDER BY:
 * `range()` yields rows in order and DuckDB preserves insertion order, while sorting millions of rows would triple
 * the seed time.
 */
export const HASH_MACRO = `CREATE OR REPLACE TEMP MACRO emu_rh(i, k) AS
  (((((i + k * 7919 + 1) * 1103515245 + 12345) % 2147483648) * 48271) % 2147483647)::DOUBLE / 2147483647.0`;

/** Number of weather stations. */
export const STATION_COUNT = 25;

/** `stations`: id, name, latitude, longitude, elevation, location (WKT POINT), active, opened. */
export const STATIONS_SELECT = `
  SELECT
    'USW' || lpad(CAST(i AS VARCHAR), 8, '0') AS id,
    CASE WHEN i = 7 THEN NULL ELSE 'Station ' || chr(65 + (i % 26)::INTEGER) || ' ' || CAST(i AS VARCHAR) END AS name,
    round(25 + emu_rh(i, 101) * 24, 4) AS latitude,
    round(-124 + emu_rh(i, 102) * 57, 4) AS longitude,
    CASE WHEN i % 11 = 3 THEN NULL ELSE round(emu_rh(i, 103) * 3000, 1) END AS elevation,
    'POINT(' || CAST(round(-124 + emu_rh(i, 102) * 57, 4) AS VARCHAR) || ' '
      || CAST(round(25 + emu_rh(i, 101) * 24, 4) AS VARCHAR) || ')' AS location,
    CASE WHEN i % 9 = 4 THEN NULL ELSE emu_rh(i, 104) < 0.8 END AS active,
    DATE '1950-01-01' + CAST(floor(emu_rh(i, 105) * 25000) AS INTEGER) AS opened
  FROM range(${STATION_COUNT}) t(i)
  ORDER BY i`;

/** `daily_observations` with `rows` rows: station_id, date, element, value, observed_at, obs_time. */
export function observationsSelect(rows: number): string {
  return `
  SELECT
    'USW' || lpad(CAST(CAST(floor(emu_rh(i, 1) * ${STATION_COUNT}) AS INTEGER) AS VARCHAR), 8, '0') AS station_id,
    DATE '2015-01-01' + CAST(floor(emu_rh(i, 2) * 3650) AS INTEGER) AS date,
    CASE WHEN emu_rh(i, 3) < 0.01 THEN NULL
      ELSE ['TMAX', 'TMIN', 'PRCP', 'SNOW'][1 + CAST(floor(emu_rh(i, 4) * 4) AS INTEGER)] END AS element,
    CASE WHEN emu_rh(i, 5) < 0.03 THEN NULL ELSE CAST(floor(emu_rh(i, 6) * 700) AS BIGINT) - 200 END AS value,
    CASE WHEN emu_rh(i, 7) < 0.02 THEN NULL
      ELSE CAST(DATE '2015-01-01' + CAST(floor(emu_rh(i, 2) * 3650) AS INTEGER) AS TIMESTAMP)
        + to_microseconds(CAST(floor(emu_rh(i, 8) * 86400000000) AS BIGINT)) END AS observed_at,
    CASE WHEN emu_rh(i, 9) < 0.02 THEN NULL
      ELSE TIME '00:00:00' + to_microseconds(CAST(floor(emu_rh(i, 10) * 86400) AS BIGINT) * 1000000) END AS obs_time
  FROM range(${rows}) t(i)`;
}
