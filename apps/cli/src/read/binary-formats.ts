import type { RecordBatch } from 'apache-arrow';
import type { Sink } from './sink.js';

/**
 * Write batches as an Arrow IPC stream (the format the API itself sends), one batch at a time. Returns the rows
 * written. `onBatch` sees each batch as it goes (progress).
 */
export async function writeArrow(batches: AsyncIterable<RecordBatch>, sink: Sink): Promise<number> {
  const { RecordBatchStreamWriter } = await import('apache-arrow');
  let writer: InstanceType<typeof RecordBatchStreamWriter> | undefined;
  let rows = 0;
  for await (const batch of batches) {
    if (!writer) writer = new RecordBatchStreamWriter();
    writer.write(batch);
    rows += batch.numRows;
    await sink.write(writer.toUint8Array(true));
  }
  if (writer) {
    writer.finish();
    await sink.write(writer.toUint8Array(true));
  }
  return rows;
}

// Row groups of this many rows keep the writer's buffer (encoded columns awaiting a flush) small and flat.
const ROW_GROUP_ROWS = 131_072;

/**
 * Write batches as Parquet with parquet-wasm (arrow-rs's writer, compiled to WebAssembly): each apache-arrow batch
 * crosses into wasm as IPC bytes and the writer streams encoded row groups back, so memory stays bounded.
 * Snappy compression, as most Parquet tools default to.
 */
export async function writeParquet(batches: AsyncIterable<RecordBatch>, sink: Sink): Promise<number> {
  const [parquet, { tableToIPC, Table }] = await Promise.all([
    import('parquet-wasm'),
    import('apache-arrow'),
  ]);
  const iterator = batches[Symbol.asyncIterator]();
  let rows = 0;
  const input = new ReadableStream(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        rows += next.value.numRows;
        const wasmTable = parquet.Table.fromIPCStream(tableToIPC(new Table(next.value), 'stream'));
        for (const batch of wasmTable.recordBatches()) controller.enqueue(batch);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  const properties = new parquet.WriterPropertiesBuilder()
    .setCompression(parquet.Compression.SNAPPY)
    .setMaxRowGroupSize(ROW_GROUP_ROWS)
    .build();
  const output = (await parquet.transformParquetStream(input, properties)) as ReadableStream<Uint8Array>;
  for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) await sink.write(chunk);
  return rows;
}
