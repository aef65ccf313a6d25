import { receivedIpcBytes } from '@redivis-ts/arrow';
import { ResourceUsageError } from '@redivis-ts/resources';
import type { RecordBatch } from 'apache-arrow';

/**
 * Rows per row group of {@link writeParquet}: the writer holds at most one row group of encoded columns (in
 * WebAssembly memory) before handing it on, so this bounds its memory whatever the number of rows.
 */
export const PARQUET_ROW_GROUP_ROWS = 131_072;

/** Options of {@link writeParquet}. */
export interface ParquetWriteOptions {
  /** Rows per row group (the last may hold fewer). @defaultValue {@link PARQUET_ROW_GROUP_ROWS} */
  rowGroupRows?: number;
}

/**
 * Record batches as one Parquet file, streamed with parquet-wasm (arrow-rs's writer compiled to WebAssembly): each
 * apache-arrow batch crosses into wasm as Arrow IPC bytes (those the SDK received, when the batch is unchanged, so
 * nothing is re-encoded), and the writer hands back each row group once encoded, so memory is about one row group
 * and a slow `write` slows the read. Arrow types are kept as Parquet types (int64, DATE, TIMESTAMP and TIME in µs,
 * UTF-8 strings, nulls) and the Arrow schema is stored in the file's metadata, as pyarrow writes it. Snappy
 * compression, as most Parquet tools default to; dictionary encoding only for string columns (it pays off for
 * repeated strings — ids, codes — hardly for numbers and timestamps, which Snappy compresses anyway: files ≈ 7%
 * larger, written ≈ 1.6× faster).
 *
 * @param batches - The batches, all of one schema.
 * @param write - Takes the file's bytes in order; awaited before more is encoded.
 * @param options - The row group size.
 * @returns The rows written.
 * @throws The source's error, once the file's writer has stopped (the bytes written so far end mid-file).
 * @throws ResourceUsageError when `rowGroupRows` is not a positive integer.
 *
 * @example
 * ```ts
 * const out = createWriteStream('rows.parquet');
 * await writeParquet(table.toArrowBatchIterator(), (bytes) => void out.write(bytes));
 * ```
 */
export async function writeParquet(
  batches: AsyncIterable<RecordBatch>,
  write: (bytes: Uint8Array) => Promise<void> | void | undefined,
  options: ParquetWriteOptions = {},
): Promise<number> {
  const { rowGroupRows = PARQUET_ROW_GROUP_ROWS } = options;
  if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1) {
    throw new ResourceUsageError('rowGroupRows must be a positive integer');
  }
  const iterator = batches[Symbol.asyncIterator]();
  // The read starts first: parquet-wasm compiles its 5 MB module synchronously on import (≈ 0.2 s of CPU, a second
  // on a loaded machine), which then overlaps the server creating the read session. The first batch also gives
  // the schema the writer's per-column settings need.
  const firstBatch = iterator.next();
  firstBatch.catch(() => undefined);
  const [parquet, { tableToIPC, Table, Type }] = await Promise.all([
    import('parquet-wasm'),
    import('apache-arrow'),
  ]);
  let first: IteratorResult<RecordBatch> | undefined = await firstBatch;
  const fields = first.done ? [] : first.value.schema.fields;
  let rows = 0;
  // parquet-wasm ends its output normally when its input stream errors (a truncated file, no error): the source's
  // failure is kept here and thrown once the output ended.
  let failure: { error: unknown } | undefined;
  const input = new ReadableStream(
    {
      async pull(controller) {
        let next: IteratorResult<RecordBatch>;
        try {
          next = first ?? (await iterator.next());
        } catch (error) {
          failure = { error };
          controller.error(error);
          return;
        }
        first = undefined;
        if (next.done) {
          controller.close();
          return;
        }
        rows += next.value.numRows;
        // The IPC bytes the SDK received, when the batch passed through unchanged; re-encoded otherwise.
        const ipc = receivedIpcBytes(next.value) ?? tableToIPC(new Table(next.value), 'stream');
        const wasmTable = parquet.Table.fromIPCStream(ipc);
        for (const batch of wasmTable.recordBatches()) controller.enqueue(batch);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  let builder = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.SNAPPY)
    .setMaxRowGroupSize(rowGroupRows)
    .setDictionaryEnabled(false);
  for (const field of fields) {
    if (field.type.typeId === Type.Utf8) builder = builder.setColumnDictionaryEnabled(field.name, true);
  }
  const output = (await parquet.transformParquetStream(input, builder.build())) as ReadableStream<Uint8Array>;
  for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) {
    if (failure) break;
    await write(chunk);
  }
  if (failure) throw failure.error;
  return rows;
}
