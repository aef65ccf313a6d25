import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { receivedIpcBytes } from '@redivis-ts/arrow';
import { writeParquet as writeParquetFile } from '@redivis-ts/node';
import type { RecordBatch } from 'apache-arrow';
import type { Sink } from './sink.js';

/**
 * Write batches as one Arrow IPC stream (the format the API itself sends) through apache-arrow's Node duplex, so
 * a slow destination slows the read. Returns the rows written.
 */
export async function writeArrow(batches: AsyncIterable<RecordBatch>, sink: Sink): Promise<number> {
  const { RecordBatchStreamWriter } = await import('apache-arrow');
  let rows = 0;
  async function* counted() {
    for await (const batch of batches) {
      rows += batch.numRows;
      yield batch;
    }
  }
  const destination = new Writable({
    write(chunk: Uint8Array, _encoding, callback) {
      Promise.resolve(sink.write(chunk)).then(() => callback(), callback);
    },
  });
  await pipeline(Readable.from(counted()), RecordBatchStreamWriter.throughNode(), destination);
  return rows;
}

/**
 * Write batches as Parquet, streamed a row group at a time by `writeParquet` of `@redivis-ts/node` (parquet-wasm,
 * the writer `toArrowDataset` uses too). Returns the rows written.
 */
export async function writeParquet(batches: AsyncIterable<RecordBatch>, sink: Sink): Promise<number> {
  return writeParquetFile(batches, (chunk) => sink.write(chunk));
}
