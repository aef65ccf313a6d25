import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { createColumnBuilder } from './columns.js';
import { endOfStream, schemaMessage } from './ipc.js';
import { type BatchSegment, copyChunk, encodeBatch, type RawChunk } from './raw-column.js';
import { arrowSchemaFor, type ReadColumn } from './types.js';
import { DUCKDB_TYPE_ID } from '../store/duckdb-types.js';

/** Options of {@link arrowIpcStream}. */
export interface ArrowStreamOptions {
  /** Stop after this many rows (the stream's share of a session's `maxResults`). Default: every row. */
  limit?: number;
  /** End with a zero-row record batch before the end-of-stream marker (the R client's `eosSentinel=true`). */
  eosSentinel?: boolean;
  /**
   * Rows per record batch: DuckDB's 2048-row chunks are coalesced up to this many, which keeps per-message overhead
   * low while memory stays bounded by one batch. @default 16384
   */
  batchRows?: number;
}

/** Thrown when a DuckDB result does not have the storage types the requested Redivis columns need. */
export class ArrowColumnMismatchError extends Error {
  override readonly name = 'ArrowColumnMismatchError';
}

/** Checks that a DuckDB result carries exactly the storage types the columns need, in order. */
function assertColumns(result: DuckDBResult, columns: readonly ReadColumn[]): void {
  // A table without variables is read as `SELECT NULL` (SQL has no empty select list); that column is not encoded.
  if (columns.length === 0) return;
  if (result.columnCount !== columns.length) {
    throw new ArrowColumnMismatchError(
      `expected ${columns.length} columns, the query returned ${result.columnCount}`,
    );
  }
  columns.forEach((column, i) => {
    const actual = result.columnTypeId(i);
    if (actual !== DUCKDB_TYPE_ID[column.type]) {
      throw new ArrowColumnMismatchError(
        `column ${column.name} (${column.type}) has DuckDB type ${result.columnType(i).toString()}`,
      );
    }
  });
}

/**
 * Encodes a streaming DuckDB result as an Arrow IPC *stream* (schema message, record batches, end-of-stream marker),
 * yielding one byte chunk per message. Chunks are pulled from DuckDB only as the consumer asks for bytes, so memory
 * stays flat however large the result: one batch of copied rows and its message.
 *
 * The result's columns must have the DuckDB storage types of {@link DUCKDB_TYPE_ID} (read SQL built by
 * {@link buildReadSql} casts to them).
 */
export async function* arrowIpcStream(
  result: DuckDBResult,
  columns: readonly ReadColumn[],
  options: ArrowStreamOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  assertColumns(result, columns);
  const batchRows = Math.max(1, options.batchRows ?? 16_384);
  const types = columns.map((c) => c.type);
  const builders = types.map((type) => createColumnBuilder(type, batchRows));
  yield schemaMessage(arrowSchemaFor(columns));
  for await (const batch of batches(result, types, batchRows, options.limit ?? Number.POSITIVE_INFINITY)) {
    yield encodeBatch(builders, batch.segments, batch.rows);
  }
  if (options.eosSentinel) yield encodeBatch(builders, [], 0);
  yield endOfStream();
}

/** The rows of one record batch, as segments of copied chunks (which stay referenced until it is encoded). */
interface Batch {
  segments: BatchSegment[];
  rows: number;
  chunks: RawChunk[];
}

/**
 * Groups the result's chunks into batches of `batchRows` rows (the last may be shorter), stopping at `limit` rows.
 * Each chunk is copied out of DuckDB once, whole, however many batches its rows end up in.
 * One chunk is always being fetched while the previous one is copied and encoded: DuckDB scans on its own threads, so
 * the fetch round trip overlaps with the JavaScript work instead of adding to it.
 */
async function* batches(
  result: DuckDBResult,
  types: readonly ReadColumn['type'][],
  batchRows: number,
  limit: number,
): AsyncGenerator<Batch, void, undefined> {
  let remaining = limit;
  let batch: Batch = { segments: [], rows: 0, chunks: [] };
  let next: Promise<DuckDBDataChunk | null> | null = remaining > 0 ? prefetch(result) : null;
  try {
    while (next !== null) {
      const chunk = await next;
      next = null;
      const rows = chunk ? chunk.rowCount : 0;
      if (!chunk || rows === 0) break;
      const usable = Math.min(rows, remaining);
      remaining -= usable;
      if (remaining > 0) next = prefetch(result);
      const raw = copyChunk(chunk, types, usable);
      let from = 0;
      while (from < usable) {
        const take = Math.min(usable - from, batchRows - batch.rows);
        batch.segments.push({ columns: raw.columns, from, count: take });
        batch.chunks.push(raw);
        batch.rows += take;
        from += take;
        if (batch.rows === batchRows) {
          yield batch;
          batch = { segments: [], rows: 0, chunks: [] };
        }
      }
    }
  } finally {
    // Stopped early (the client went away): let the fetch in flight settle before the caller ends the connection.
    if (next !== null) await next.catch(() => null);
  }
  if (batch.rows > 0) yield batch;
}

/** Starts fetching the next chunk; its failure is surfaced when awaited, never as an unhandled rejection. */
function prefetch(result: DuckDBResult): Promise<DuckDBDataChunk | null> {
  const fetching = result.fetchChunk();
  fetching.catch(() => {});
  return fetching;
}
