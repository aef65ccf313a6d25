import type { RecordBatch, Vector } from 'apache-arrow';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { UploadUsageError } from './errors.js';
import { arrowColumn, type Column, type SchemaElement } from './parquet.js';

/**
 * Rows per row group of {@link writeParquetStream}: what it holds at most. Each held value is boxed for the encoder
 * (a `BigInt` per integer, a string per text value) and encoded with its own intermediate arrays, so this bounds the
 * writer's memory — about 25 MiB for a row group of the ten-column demo weather table — whatever the file's size.
 */
export const PARQUET_ROW_GROUP_ROWS = 65_536;

/** Options of {@link writeParquetStream}. */
export interface ParquetStreamOptions {
  /** Rows per row group (the last may hold fewer). @defaultValue {@link PARQUET_ROW_GROUP_ROWS} */
  rowGroupRows?: number;
}

/** A hyparquet-writer output that hands each encoded row group to `write` and then reuses its buffer. */
class SinkWriter extends ByteWriter {
  constructor(private readonly write: (bytes: Uint8Array) => Promise<void> | void) {
    super(1 << 20);
  }
  async flush(): Promise<void> {
    await this.write(this.getBytes());
    this.index = 0;
  }
}

const describe = (elements: SchemaElement[]) => JSON.stringify(elements);

/**
 * Encode record batches as one Parquet file streamed a row group at a time, with the types of {@link toParquet}
 * (int64 exact, dates, µs timestamps and times, nulls): batches are held until they make a row group of
 * `rowGroupRows` rows (a batch crossing the boundary is sliced without copying), the group is encoded and handed to
 * `write`, and only then is the next batch read. Memory is one row group whatever the number of rows, and a slow
 * `write` slows the reading. Browser-safe: `write` may append to a file, a stream or an upload.
 *
 * @param batches - The batches, all of one schema (the first batch's, even when it has no rows).
 * @param write - Takes the file's bytes in order; each chunk is only valid until the promise it returns settles
 *   (the buffer is reused), so copy it if it must outlive the call.
 * @param options - The row group size.
 * @returns The rows written.
 * @throws UploadUsageError when there is no batch or no column, a column's type cannot be written, a batch's
 *   schema differs from the first one's, or `rowGroupRows` is not a positive integer.
 *
 * @example
 * ```ts
 * const handle = await open('rows.parquet', 'wx');
 * await writeParquetStream(table.toArrowBatchIterator(), async (bytes) => void (await handle.write(bytes)));
 * await handle.close();
 * ```
 */
export async function writeParquetStream(
  batches: AsyncIterable<RecordBatch>,
  write: (bytes: Uint8Array) => Promise<void> | void,
  options: ParquetStreamOptions = {},
): Promise<number> {
  const { rowGroupRows = PARQUET_ROW_GROUP_ROWS } = options;
  if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1) {
    throw new UploadUsageError('rowGroupRows must be a positive integer');
  }
  let parquet: ParquetWriter | undefined;
  let output: SinkWriter | undefined;
  let schema = '';
  let names: string[] = [];
  let held: RecordBatch[] = [];
  let heldRows = 0;
  let rows = 0;
  const columnsOf = (group: RecordBatch[]): Column[] =>
    names.map((name, i) => {
      const vectors = group.map((b) => b.getChildAt(i) as Vector);
      return arrowColumn(
        name,
        vectors.slice(1).reduce((a, v) => a.concat(v), vectors[0] as Vector),
      );
    });
  const writeGroup = async () => {
    const columns = columnsOf(held);
    // Held only until the encoder boxed the values it needs.
    held = [];
    await parquet?.write({ columnData: columns.map((c) => c.source), rowGroupSize: heldRows });
    rows += heldRows;
    heldRows = 0;
  };
  // A batch's Parquet schema, from a slice without rows (nothing is boxed).
  const elementsOf = (batch: RecordBatch) =>
    batch.schema.fields.map((f, i) => arrowColumn(f.name, batch.slice(0, 0).getChildAt(i) as Vector).element);
  for await (const batch of batches) {
    if (parquet && describe(elementsOf(batch)) !== schema) {
      throw new UploadUsageError('Every batch written to one Parquet file must have the same schema.');
    }
    if (!parquet) {
      names = batch.schema.fields.map((f) => f.name);
      if (names.length === 0) throw new UploadUsageError('Tabular data without columns cannot be written.');
      const elements = elementsOf(batch);
      schema = describe(elements);
      output = new SinkWriter(write);
      parquet = new ParquetWriter({
        writer: output,
        schema: [{ name: 'root', num_children: elements.length }, ...elements],
        statistics: false,
      });
    }
    let rest: RecordBatch | undefined = batch;
    while (rest && rest.numRows > 0) {
      const take = Math.min(rest.numRows, rowGroupRows - heldRows);
      if (take === rest.numRows) {
        held.push(rest);
        rest = undefined;
      } else {
        held.push(rest.slice(0, take));
        rest = rest.slice(take);
      }
      heldRows += take;
      if (heldRows === rowGroupRows) await writeGroup();
    }
  }
  if (!parquet || !output) throw new UploadUsageError('There are no batches to write, not even a schema.');
  if (heldRows > 0) await writeGroup();
  await parquet.finish();
  await output.flush();
  return rows;
}
