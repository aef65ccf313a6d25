import type { CallOptions, RedivisTransport } from '@redivis-ts/core';
import { UploadUsageError } from './errors.js';
import type { RowInput } from './tabular.js';

/** Options of {@link insertRows}. */
export interface InsertRowsOptions extends CallOptions {
  /** Rows per request. @defaultValue 500 (the documented recommendation) */
  batchRows?: number;
  /** Bytes of JSON per request. @defaultValue 8 MiB (well under the 100 MB limit) */
  batchBytes?: number;
  /** Called after each batch with the rows sent so far. */
  onProgress?: (rowsSent: number) => void;
}

/** What {@link insertRows} reports, summed over its batches. */
export interface InsertRowsResult {
  /** Rows the server added. */
  rowsAdded: number;
  /** Rows the server skipped. */
  rowsSkipped: number;
  /** Requests made. */
  batches: number;
}

const MAX_ROWS = 50_000;
const BIG = '\u0000bigint:';
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A Date as the canonical dateTime string of the API (`YYYY-MM-DDTHH:MM:SS.ffffff`, UTC). */
function dateTimeString(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
}

/**
 * One row as JSON: numbers and booleans as JSON values, bigints as JSON integers (beyond ±(2^53 − 1) as decimal
 * strings, BigQuery's INT64 encoding, since a JSON number that large loses digits in most parsers), `Date` as the
 * canonical dateTime string, `undefined` as `null`.
 * @param row - Variable name → value.
 */
export function rowJson(row: RowInput): string {
  if (row === null || typeof row !== 'object' || Array.isArray(row))
    throw new UploadUsageError('insertRows takes plain objects mapping variable names to values.');
  const text = JSON.stringify(row, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    if (typeof raw === 'bigint') return raw >= MIN_SAFE && raw <= MAX_SAFE ? `${BIG}${raw}` : raw.toString();
    if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : dateTimeString(raw);
    return value === undefined ? null : value;
  });
  // A safe bigint becomes the digits themselves (JSON.stringify refuses bigints).
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

async function* batches(
  rows: Iterable<RowInput> | AsyncIterable<RowInput>,
  maxRows: number,
  maxBytes: number,
): AsyncIterable<{ json: string[]; count: number }> {
  let json: string[] = [];
  let bytes = 0;
  for await (const row of rows as AsyncIterable<RowInput>) {
    const text = rowJson(row);
    if (json.length > 0 && (json.length >= maxRows || bytes + text.length + 1 > maxBytes)) {
      yield { json, count: json.length };
      json = [];
      bytes = 0;
    }
    json.push(text);
    bytes += text.length + 1;
  }
  if (json.length > 0) yield { json, count: json.length };
}

/**
 * Stream rows into a `stream` upload: `POST {uploadUri}/rows {rows:[…]}` in batches that close at `batchRows` rows
 * or `batchBytes` bytes, from an array or from an (async) iterable for long-running producers (read as they come,
 * one batch in memory). Each batch is retried on transient failures (core's backoff), so delivery is at least once.
 *
 * @param client - The core client.
 * @param uploadUri - The upload's API path.
 * @param rows - Row objects (variable → value).
 * @param options - Batch limits and transport options.
 */
export async function insertRows(
  client: RedivisTransport,
  uploadUri: string,
  rows: Iterable<RowInput> | AsyncIterable<RowInput>,
  options: InsertRowsOptions = {},
): Promise<InsertRowsResult> {
  const { batchRows = 500, batchBytes = 8 * 2 ** 20, onProgress, ...call } = options;
  if (batchRows < 1 || batchRows > MAX_ROWS)
    throw new UploadUsageError(`batchRows must be 1 to ${MAX_ROWS}.`);
  const result: InsertRowsResult = { rowsAdded: 0, rowsSkipped: 0, batches: 0 };
  let sent = 0;
  for await (const batch of batches(rows, batchRows, batchBytes)) {
    const response = (await client.request({
      ...call,
      method: 'POST',
      path: `${uploadUri}/rows`,
      body: `{"rows":[${batch.json.join(',')}]}`,
      headers: { ...call.headers, 'Content-Type': 'application/json' },
      idempotent: true,
    })) as { rowsAdded?: number; rowsSkipped?: number } | undefined;
    result.batches++;
    result.rowsAdded += Number(response?.rowsAdded ?? batch.count);
    result.rowsSkipped += Number(response?.rowsSkipped ?? 0);
    sent += batch.count;
    onProgress?.(sent);
  }
  return result;
}
