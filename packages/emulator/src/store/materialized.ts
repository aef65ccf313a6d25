import {
  type DuckDBDataChunk,
  type DuckDBMaterializedResult,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';

// A materialized result already holds every chunk in memory. The bindings' `fetchChunk` (what the result's
// `getRows*` methods use) still goes through libuv's thread pool for each chunk and once more for the empty one
// that ends the read: two round trips for a one-chunk answer, each waiting for a free core on a loaded machine.
// `getChunk` reads the same chunks synchronously.

/** The chunks of a materialized result, read without a round trip into DuckDB. */
export function materializedChunks(result: DuckDBMaterializedResult): DuckDBDataChunk[] {
  const chunks: DuckDBDataChunk[] = [];
  const count = result.chunkCount;
  for (let i = 0; i < count; i++) {
    const chunk = result.getChunk(i);
    if (chunk.rowCount > 0) chunks.push(chunk);
  }
  return chunks;
}

/** The rows of a materialized result as arrays of JS values (what `getRowsJS` answers). */
export function materializedRows(result: DuckDBMaterializedResult): unknown[][] {
  const rows: unknown[][] = [];
  for (const chunk of materializedChunks(result)) {
    for (const row of chunk.convertRows(JSDuckDBValueConverter)) rows.push(row as unknown[]);
  }
  return rows;
}

/** The rows of a materialized result as objects keyed by column name (what `getRowObjectsJS` answers). */
export function materializedRowObjects(result: DuckDBMaterializedResult): Record<string, unknown>[] {
  const names = result.deduplicatedColumnNames();
  return materializedRows(result).map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i] as string] = values[i];
    return row;
  });
}
