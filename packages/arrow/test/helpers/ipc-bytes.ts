import { makeData, RecordBatch, type Schema, Struct, Table, tableToIPC } from 'apache-arrow';
import type { GeneratedStream } from './arrow-server.js';

/** The IPC bytes of one stream from `offset` to `limit`, in batches, with the zero-row sentinel when asked. */
export function streamBytes(
  table: Table,
  columns: string[],
  offset: number,
  limit: number,
  batchRows: number,
  sentinel: boolean,
): Uint8Array {
  const parts = [...streamParts(table, columns, offset, limit, batchRows, sentinel)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The IPC stream as messages: schema, each batch, the sentinel when asked, end-of-stream marker. */
export function* streamParts(
  stream: Table | GeneratedStream,
  columns: string[],
  offset: number,
  limit: number,
  batchRows: number,
  sentinel: boolean,
): Generator<Uint8Array> {
  const slice = (start: number, end: number): RecordBatch[] => {
    const batch = 'batch' in stream ? stream.batch(start, end) : undefined;
    const schema = batch ? batch.schema : (stream as Table).schema;
    const present = new Map(schema.fields.map((f) => [f.name.toLowerCase(), f.name]));
    const names = columns
      .map((c) => present.get(c.toLowerCase()))
      .filter((n): n is string => n !== undefined);
    return batch ? [batch.select(names)] : (stream as Table).select(names).slice(start, end).batches;
  };
  const schema = (slice(offset, offset)[0] ?? slice(0, 0)[0])!.schema;
  const [schemaMessage, sentinelMessage] = messages(emptyBatch(schema));
  if (sentinelMessage.length === 0) throw new Error('apache-arrow wrote no message for a zero-row batch');
  yield schemaMessage;
  for (let start = offset; start < limit; start += batchRows) {
    for (const batch of slice(start, Math.min(limit, start + batchRows))) yield messages(batch)[1]!;
  }
  if (sentinel) yield sentinelMessage;
  yield new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
}

/** Splits the IPC stream of one batch into its schema message and its record batch message. */
function messages(batch: RecordBatch): [Uint8Array, Uint8Array] {
  const bytes = tableToIPC(new Table([batch]), 'stream');
  // Each message: 0xFFFFFFFF, int32 metadata length, metadata; a schema message has no body.
  const schemaLength = 8 + new DataView(bytes.buffer, bytes.byteOffset).getInt32(4, true);
  return [bytes.subarray(0, schemaLength), bytes.subarray(schemaLength, bytes.length - 8)];
}

/** A real zero-row record batch (what the server sends as end-of-stream sentinel). */
export function emptyBatch(schema: Schema): RecordBatch {
  const children = schema.fields.map((f) => makeData({ type: f.type, length: 0, nullCount: 0 }));
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }),
  );
}
