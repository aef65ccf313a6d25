import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { makeData, RecordBatch, RecordBatchStreamWriter, type Schema, Struct } from 'apache-arrow';
import { type ColumnBuilder, createColumnBuilder } from './columns.js';
import { arrowSchemaFor, DUCKDB_TYPE_ID, type ReadColumn } from './types.js';

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

/**
 * A stream writer whose output bytes are collected synchronously rather than queued in arrow's async sink, so each
 * record batch becomes exactly one chunk the caller can hand to a back-pressured HTTP response.
 */
class CollectingStreamWriter extends RecordBatchStreamWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  protected override _write(chunk: ArrayBufferView): this {
    if (this._started && chunk.byteLength > 0) {
      this.pending.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      this.pendingBytes += chunk.byteLength;
      this._position += chunk.byteLength;
    }
    return this;
  }

  /** Everything written since the last call, copied into one buffer (the builders' memory is reused afterwards). */
  take(): Uint8Array {
    const out = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const part of this.pending) {
      out.set(part, at);
      at += part.byteLength;
    }
    this.pending = [];
    this.pendingBytes = 0;
    return out;
  }
}

/** Checks that a DuckDB result carries exactly the storage types the columns need, in order. */
function assertColumns(result: DuckDBResult, columns: readonly ReadColumn[]): void {
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
 * yielding one byte chunk per message group. Chunks are pulled from DuckDB only as the consumer asks for bytes, so
 * memory stays flat however large the result.
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
  const schema = arrowSchemaFor(columns);
  const builders = columns.map((c) => createColumnBuilder(c.type, batchRows));
  const writer = new CollectingStreamWriter();
  writer.reset(undefined, schema);
  yield writer.take();

  let remaining = options.limit ?? Number.POSITIVE_INFINITY;
  let buffered = 0;
  while (remaining > 0) {
    const chunk: DuckDBDataChunk | null = await result.fetchChunk();
    const rows = chunk ? chunk.rowCount : 0;
    if (!chunk || rows === 0) break;
    const vectors = columns.map((_, i) => bindings.data_chunk_get_vector(chunk.chunk, i));
    let from = 0;
    const usable = Math.min(rows, remaining);
    while (from < usable) {
      const take = Math.min(usable - from, batchRows - buffered);
      for (let i = 0; i < builders.length; i++) builders[i]?.append(vectors[i] as never, from, take);
      from += take;
      buffered += take;
      if (buffered === batchRows) {
        yield flush(writer, schema, builders, buffered);
        buffered = 0;
      }
    }
    remaining -= usable;
  }
  if (buffered > 0) yield flush(writer, schema, builders, buffered);
  if (options.eosSentinel) yield flush(writer, schema, builders, 0);
  writer.finish();
  yield writer.take();
}

function flush(
  writer: CollectingStreamWriter,
  schema: Schema,
  builders: ColumnBuilder[],
  rows: number,
): Uint8Array {
  const children = builders.map((b) => b.finish());
  const data = makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children });
  writer.write(new RecordBatch(schema, data));
  for (const b of builders) b.reset();
  return writer.take();
}
