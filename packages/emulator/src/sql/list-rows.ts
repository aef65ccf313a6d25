import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../store/identifiers.js';
import { toReadableStream } from '../arrow/readable.js';
import type { VariableType } from '@redivis-ts/core';

/** A column to list: its stored name, the name to report, and its type. */
export interface ListColumn {
  column: string;
  name: string;
  type: VariableType;
}

/** The text form of a value in listRows output (spec §5.8.5): numbers as strings, BigQuery date/time formats. */
function formatted(column: ListColumn): string {
  const c = quoteIdent(column.column);
  switch (column.type) {
    case 'dateTime':
      return `CASE WHEN microsecond(${c}) % 1000000 = 0 THEN strftime(${c}, '%Y-%m-%d %H:%M:%S') ELSE strftime(${c}, '%Y-%m-%d %H:%M:%S.%f') END`;
    case 'time':
      return `CASE WHEN microsecond(${c}) % 1000000 = 0 THEN strftime(DATE '2000-01-01' + ${c}, '%H:%M:%S') ELSE strftime(DATE '2000-01-01' + ${c}, '%H:%M:%S.%f') END`;
    case 'float':
      // BigQuery's text for non-finite FLOAT64 values (DuckDB would write nan, inf, -inf).
      return `CASE WHEN isnan(${c}) THEN 'NaN' WHEN isinf(${c}) THEN CASE WHEN ${c} > 0 THEN 'Infinity' ELSE '-Infinity' END ELSE CAST(${c} AS VARCHAR) END`;
    default:
      return `CAST(${c} AS VARCHAR)`;
  }
}

/** A CSV field as BigQuery exports it: NULL is an empty unquoted field, the empty string a quoted `""`. */
function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The SELECT of a listRows read of `relation`: every column as its listRows text, at most `maxResults` rows. */
export function listRowsSql(relation: string, columns: readonly ListColumn[], maxResults?: number): string {
  const select = columns.length
    ? columns.map((c) => `${formatted(c)} AS ${quoteIdent(c.name)}`).join(', ')
    : 'NULL';
  const limit = maxResults === undefined ? '' : ` LIMIT ${maxResults}`;
  return `SELECT ${select} FROM ${relation}${limit}`;
}

/** The CSV header line of a listRows answer (empty for NDJSON). */
export function listRowsHeader(columns: readonly ListColumn[], format: 'ndjson' | 'csv'): string {
  return format === 'csv' ? `${columns.map((c) => csvField(c.name)).join(',')}\n` : '';
}

/** The lines of rows read with {@link listRowsSql}: NDJSON (one JSON array per row) or CSV. */
export function listRowsLines(
  rows: readonly (readonly unknown[])[],
  columns: readonly ListColumn[],
  format: 'ndjson' | 'csv',
): string {
  let text = '';
  for (const row of rows as (string | null)[][]) {
    const values = columns.length ? row : [];
    text += format === 'csv' ? `${values.map(csvField).join(',')}\n` : `${JSON.stringify(values)}\n`;
  }
  return text;
}

/**
 * Streams rows of `relation` as listRows output: NDJSON with one JSON array per row (default), or CSV with a header
 * row. Reads DuckDB chunk by chunk, pulled by the response, so memory stays flat; `onClose` releases `conn` (also
 * when `signal`, the request's, aborts).
 */
export async function listRowsStream(
  conn: DuckDBConnection,
  relation: string,
  columns: readonly ListColumn[],
  options: { maxResults?: number; format: 'ndjson' | 'csv' },
  onClose: () => void,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const result = await conn.stream(listRowsSql(relation, columns, options.maxResults));
  const encoder = new TextEncoder();
  async function* lines(): AsyncGenerator<Uint8Array, void, undefined> {
    if (options.format === 'csv') yield encoder.encode(listRowsHeader(columns, options.format));
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) return;
      yield encoder.encode(listRowsLines(chunk.getRows(), columns, options.format));
    }
  }
  return toReadableStream(lines(), onClose, signal);
}

/** Content-Type of each listRows format. */
export const LIST_ROWS_CONTENT_TYPE = {
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
} as const;
