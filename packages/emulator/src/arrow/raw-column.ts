import type { DuckDBDataChunk } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import type { VariableType } from '@redivis-ts/core';
import { type ColumnBuilder, storageWidth } from './columns.js';
import { recordBatchMessage } from './ipc.js';

/**
 * One DuckDB vector's memory, copied into JavaScript-owned buffers (the bindings copy on every read). String structs
 * still point into the chunk's own memory for strings over 12 bytes: whoever holds a RawColumn of strings keeps its
 * {@link RawChunk} alive until the batch is encoded.
 */
export interface RawColumn {
  /** Values: fixed-width values, one byte per bool, or DuckDB's 16-byte string structs. */
  data: Uint8Array;
  /** DuckDB's validity mask (LSB first, whole 64-bit words), or null when every row is valid. */
  validity: Uint8Array | null;
}

/** The usable rows of one fetched DuckDB chunk, column by column, and the chunk that owns their string bytes. */
export interface RawChunk {
  columns: RawColumn[];
  rows: number;
  /** Kept referenced until every batch using the chunk is encoded: its memory holds the long strings. */
  chunk: DuckDBDataChunk;
}

/** Rows [from, from + count) of a chunk, as they go into one record batch. */
export interface BatchSegment {
  columns: RawColumn[];
  from: number;
  count: number;
}

/** Copies the first `rows` rows of every column of a chunk (their values and validity). */
export function copyChunk(chunk: DuckDBDataChunk, types: readonly VariableType[], rows: number): RawChunk {
  const columns = types.map((type, i) => {
    const vector = bindings.data_chunk_get_vector(chunk.chunk, i);
    return {
      data: bindings.vector_get_data(vector, rows * storageWidth(type)),
      validity: bindings.vector_get_validity(vector, Math.ceil(rows / 64) * 8) ?? null,
    };
  });
  return { columns, rows, chunk };
}

/**
 * Appends the segments to the (empty) builders and frames them as one record batch message of `rows` rows; the
 * builders are emptied again for the next batch.
 */
export function encodeBatch(
  builders: readonly ColumnBuilder[],
  segments: readonly BatchSegment[],
  rows: number,
): Uint8Array {
  for (const segment of segments) {
    for (let i = 0; i < builders.length; i++) {
      builders[i]?.append(segment.columns[i] as RawColumn, segment.from, segment.count);
    }
  }
  const message = recordBatchMessage(
    rows,
    builders.map((b) => b.finish()),
  );
  for (const b of builders) b.reset();
  return message;
}
